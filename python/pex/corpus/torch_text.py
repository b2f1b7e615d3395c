"""Text and token networks written in PyTorch the way published small ones are
(nn.Embedding of token ids, then convolutions over the tokens, an LSTM, or a mean), for
`onnx_models` to export with torch.onnx.export. Their input is int64 token ids (int32 on
the device); each model's `vocabulary` says how many ids it knows.

- `text_cnn`: Kim's sentence classifier ("Convolutional Neural Networks for Sentence
  Classification"), small: 32 tokens of a 1,000-word vocabulary embedded in 32
  dimensions, Conv1d k3 to 64 channels with ReLU, the maximum over time, Linear to 4.
- `intent_lstm`: an on-device intent classifier: 20 tokens of 500 words embedded in 24
  dimensions, an LSTM of 48 units (batch first), the last step's output, Linear to 6.
- `bag_of_tokens`: fastText-style ("Bag of Tricks for Efficient Text Classification"):
  the mean of 24 token embeddings (2,000 words, 16 dimensions), Linear to 5.
- `token_transformer`: token and learned position embeddings (16 tokens, 200 words, 32
  dimensions), LayerNorm, one Transformer encoder layer (2 heads, feed-forward 64), the
  mean over tokens, Linear to 3.
- `embedding_bag`: torchtext's text classifier (nn.EmbeddingBag, mode mean, then Linear)
  over 4 bags of 12 tokens (2,000 words, 32 dimensions): PyTorch exports the bags as a
  Loop, which the importer unrolls.
- `averaging_network`: a deep averaging network ("Deep Unordered Composition Rivals
  Syntactic Methods for Text Classification"): the mean of 24 token embeddings (50 words,
  24 dimensions) over the real tokens only (a padding mask, `ids != 0`, and the count of
  real tokens), two Linear layers.
- `char_cnn`: a character-level CNN ("Character-level Convolutional Networks for Text
  Classification"), small: 64 characters of a 40-letter alphabet one-hot encoded
  (F.one_hot), Conv1d k7 to 64 channels, max pool 3, Conv1d k3, the maximum over time,
  Linear to 4.
"""

from __future__ import annotations


def text_cnn(vocabulary: int = 1000, tokens: int = 32):
    import torch
    from torch import nn

    class TextCnn(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = nn.Embedding(vocabulary, 32, padding_idx=0)
            self.conv = nn.Conv1d(32, 64, 3, padding=1)
            self.fc = nn.Linear(64, 4)

        def forward(self, ids):
            x = self.embedding(ids).transpose(1, 2)
            return self.fc(torch.relu(self.conv(x)).amax(2))

    model = TextCnn()
    model.vocabulary = vocabulary
    return model, (1, tokens)


def intent_lstm(vocabulary: int = 500, tokens: int = 20):
    from torch import nn

    class IntentLstm(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = nn.Embedding(vocabulary, 24)
            self.lstm = nn.LSTM(24, 48, batch_first=True)
            self.fc = nn.Linear(48, 6)

        def forward(self, ids):
            y, _ = self.lstm(self.embedding(ids))
            return self.fc(y[:, -1, :])

    model = IntentLstm()
    model.vocabulary = vocabulary
    return model, (1, tokens)


def bag_of_tokens(vocabulary: int = 2000, tokens: int = 24):
    from torch import nn

    class BagOfTokens(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = nn.Embedding(vocabulary, 16)
            self.fc = nn.Linear(16, 5)

        def forward(self, ids):
            return self.fc(self.embedding(ids).mean(1))

    model = BagOfTokens()
    model.vocabulary = vocabulary
    return model, (1, tokens)


def token_transformer(vocabulary: int = 200, tokens: int = 16):
    import torch
    from torch import nn

    class TokenTransformer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = nn.Embedding(vocabulary, 32)
            self.positions = nn.Parameter(torch.randn(1, tokens, 32) * 0.1)
            self.norm = nn.LayerNorm(32)
            self.encoder = nn.TransformerEncoderLayer(32, 2, 64, dropout=0.0,
                                                      batch_first=True)
            self.fc = nn.Linear(32, 3)

        def forward(self, ids):
            x = self.norm(self.embedding(ids) + self.positions)
            return self.fc(self.encoder(x).mean(1))

    model = TokenTransformer()
    model.vocabulary = vocabulary
    return model, (1, tokens)


def embedding_bag(vocabulary: int = 2000, bags: int = 4, tokens: int = 12):
    from torch import nn

    class EmbeddingBagClassifier(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = nn.EmbeddingBag(vocabulary, 32, mode="mean")
            self.fc = nn.Linear(32, 4)

        def forward(self, ids):
            return self.fc(self.embedding(ids))

    model = EmbeddingBagClassifier()
    model.vocabulary = vocabulary
    return model, (bags, tokens)


def averaging_network(vocabulary: int = 50, tokens: int = 24):
    import torch
    from torch import nn

    class AveragingNetwork(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = nn.Embedding(vocabulary, 24, padding_idx=0)
            self.hidden = nn.Linear(24, 32)
            self.fc = nn.Linear(32, 3)

        def forward(self, ids):
            real = ids != 0
            total = (self.embedding(ids) * real.unsqueeze(-1).float()).sum(1)
            mean = total / real.sum(1, keepdim=True).clamp(min=1).float()
            return self.fc(torch.relu(self.hidden(mean)))

    model = AveragingNetwork()
    model.vocabulary = vocabulary
    return model, (1, tokens)


def char_cnn(alphabet: int = 40, characters: int = 64):
    import torch
    from torch import nn

    class CharCnn(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv1 = nn.Conv1d(alphabet, 64, 7)
            self.pool = nn.MaxPool1d(3)
            self.conv2 = nn.Conv1d(64, 64, 3)
            self.fc = nn.Linear(64, 4)

        def forward(self, ids):
            x = nn.functional.one_hot(ids, alphabet).float().transpose(1, 2)
            x = self.pool(torch.relu(self.conv1(x)))
            return self.fc(torch.relu(self.conv2(x)).amax(2))

    model = CharCnn()
    model.vocabulary = alphabet
    return model, (1, characters)


NETWORKS = {"text_cnn": (text_cnn, None), "intent_lstm": (intent_lstm, None),
            "bag_of_tokens": (bag_of_tokens, None),
            "token_transformer": (token_transformer, None),
            "embedding_bag": (embedding_bag, None),
            "averaging_network": (averaging_network, None), "char_cnn": (char_cnn, None)}
