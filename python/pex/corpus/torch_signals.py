"""Audio networks written in PyTorch the way published ones are (Conv1d, BatchNorm1d, pools
over time, LSTMs, GRUs), for `onnx_models` to export with torch.onnx.export.

- `m5`: the M5 raw-waveform classifier of torchaudio's speech-command tutorial (Dai et al.,
  "Very deep convolutional neural networks for raw waveforms"): 8,000 samples, Conv1d k80
  stride 16, four conv/BN/ReLU/MaxPool1d(4) stages, average pool over what is left,
  permute, Linear, log_softmax.
- `tc_resnet8`: TC-ResNet8 (Choi et al., "Temporal Convolution for Real-time Keyword
  Spotting on Mobile Devices"): 40 MFCCs x 101 frames as 40 channels over time, Conv1d k3,
  three residual blocks of Conv1d k9 (stride 2, a 1x1 convolution on the shortcut), global
  average pool, Linear, softmax.
- `lstm_kws`, `gru_kws`, `rnn_kws`: recurrent keyword spotters (Zhang et al., "Hello
  Edge: Keyword Spotting on Microcontrollers", LSTM-S and GRU-S, and a plain tanh RNN):
  49 frames of 10 MFCCs, batch first, one LSTM, GRU or RNN of 64 units, the last step's
  output (LSTM, `y[:, -1, :]`) or the final hidden state (GRU, RNN), Linear, softmax.
- `crnn_bigru`: a convolutional recurrent sound-event classifier: 40 log-mel bands x 64
  frames, Conv1d + BatchNorm1d + ReLU + MaxPool1d(2), a bidirectional GRU over the 32
  frames left (time-major), the mean of its outputs over time, Linear, softmax.
- `stacked_lstm`: two stacked LSTMs of 32 units over time-major frames whose final hidden
  state h_n[-1] feeds a Linear layer, as sequence classifiers read it.
"""

from __future__ import annotations


def m5(classes: int = 35, channels: int = 32):
    from torch import nn
    import torch.nn.functional as F

    class M5(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            widths = [1, channels, channels, 2 * channels, 2 * channels]
            self.convs = nn.ModuleList(
                nn.Conv1d(widths[i], widths[i + 1], 80 if i == 0 else 3,
                          stride=16 if i == 0 else 1) for i in range(4))
            self.norms = nn.ModuleList(nn.BatchNorm1d(w) for w in widths[1:])
            self.pools = nn.ModuleList(nn.MaxPool1d(4) for _ in range(4))
            self.fc1 = nn.Linear(2 * channels, classes)

        def forward(self, x):
            for conv, norm, pool in zip(self.convs, self.norms, self.pools):
                x = pool(F.relu(norm(conv(x))))
            x = F.avg_pool1d(x, int(x.shape[-1]))  # a constant when traced
            x = x.permute(0, 2, 1)
            return F.log_softmax(self.fc1(x), dim=2)

    return M5(), (1, 1, 8000)


def tc_resnet8(classes: int = 12, features: int = 40, frames: int = 101):
    import torch
    from torch import nn
    import torch.nn.functional as F

    class Block(nn.Module):
        def __init__(self, inputs: int, outputs: int) -> None:
            super().__init__()
            self.conv1 = nn.Conv1d(inputs, outputs, 9, stride=2, padding=4, bias=False)
            self.norm1 = nn.BatchNorm1d(outputs)
            self.conv2 = nn.Conv1d(outputs, outputs, 9, padding=4, bias=False)
            self.norm2 = nn.BatchNorm1d(outputs)
            self.shortcut = nn.Sequential(nn.Conv1d(inputs, outputs, 1, stride=2, bias=False),
                                          nn.BatchNorm1d(outputs))

        def forward(self, x):
            y = F.relu(self.norm1(self.conv1(x)))
            y = self.norm2(self.conv2(y))
            return F.relu(y + self.shortcut(x))

    class TCResNet8(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.stem = nn.Conv1d(features, 16, 3, padding=1, bias=False)
            self.blocks = nn.Sequential(Block(16, 24), Block(24, 32), Block(32, 48))
            self.fc = nn.Linear(48, classes)

        def forward(self, x):
            x = self.blocks(self.stem(x))
            x = torch.mean(x, dim=2)
            return F.softmax(self.fc(x), dim=1)

    return TCResNet8(), (1, features, frames)


def recurrent_kws(cell: str, classes: int = 12, frames: int = 49, features: int = 10,
                  units: int = 64):
    """Hello Edge's LSTM-S (`cell` "LSTM", the last step's output read as `y[:, -1, :]`)
    or GRU-S ("GRU", the final hidden state `h`), or a plain RNN ("RNN", likewise)."""
    import torch
    from torch import nn

    class RecurrentKws(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.rnn = getattr(nn, cell)(features, units, batch_first=True)
            self.fc = nn.Linear(units, classes)

        def forward(self, x):
            sequence, state = self.rnn(x)
            last = sequence[:, -1, :] if cell == "LSTM" else state[0]
            return torch.softmax(self.fc(last), dim=1)

    return RecurrentKws(), (1, frames, features)


def crnn_bigru(classes: int = 10, features: int = 40, frames: int = 64):
    import torch
    from torch import nn
    import torch.nn.functional as F

    class CrnnBiGru(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv1d(features, 32, 3, padding=1)
            self.norm = nn.BatchNorm1d(32)
            self.gru = nn.GRU(32, 24, bidirectional=True)
            self.fc = nn.Linear(48, classes)

        def forward(self, x):
            x = F.max_pool1d(F.relu(self.norm(self.conv(x))), 2)
            sequence, _ = self.gru(x.permute(2, 0, 1))
            return torch.softmax(self.fc(sequence.mean(dim=0)), dim=1)

    return CrnnBiGru(), (1, features, frames)


def stacked_lstm(classes: int = 6, frames: int = 32, features: int = 8, units: int = 32):
    from torch import nn

    class StackedLstm(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lstm = nn.LSTM(features, units, num_layers=2)
            self.fc = nn.Linear(units, classes)

        def forward(self, x):
            _, (hidden, _) = self.lstm(x)
            return self.fc(hidden[-1])

    return StackedLstm(), (frames, 1, features)


NETWORKS = {"m5_raw_audio": m5, "tc_resnet8_mfcc": tc_resnet8,
            "lstm_kws": lambda: recurrent_kws("LSTM"), "gru_kws": lambda: recurrent_kws("GRU"),
            "crnn_bigru": crnn_bigru, "stacked_lstm": stacked_lstm,
            "rnn_kws": lambda: recurrent_kws("RNN")}
