"""PyTorch twin of the zoo's densenet121_face / densenet121_face_prelu (InsightFace's Gluon
DenseNet-121 for 112x112 faces), with the module names netspec's specs use.

Run with Debian's PyTorch: /usr/bin/python3 reference/face_densenet.py
Prints each variant's parameter count, which the zoo's @Expect must equal.
"""
from collections import OrderedDict

import torch
from torch import nn


def act(prelu, channels):
    return nn.PReLU(channels) if prelu else nn.ReLU(inplace=True)


class DenseLayer(nn.Module):
    def __init__(self, cin, growth, prelu, bn_size=4):
        super().__init__()
        self.norm1, self.act1 = nn.BatchNorm2d(cin), act(prelu, cin)
        self.conv1 = nn.Conv2d(cin, bn_size * growth, 1, bias=False)
        self.norm2, self.act2 = nn.BatchNorm2d(bn_size * growth), act(prelu, bn_size * growth)
        self.conv2 = nn.Conv2d(bn_size * growth, growth, 3, padding=1, bias=False)

    def forward(self, x):
        y = self.conv1(self.act1(self.norm1(x)))
        y = self.conv2(self.act2(self.norm2(y)))
        return torch.cat([x, y], 1)


def dense_block(cin, layers, growth, prelu):
    return nn.Sequential(OrderedDict(
        (f"denselayer{i + 1}", DenseLayer(cin + i * growth, growth, prelu)) for i in range(layers)))


class Transition(nn.Sequential):
    def __init__(self, cin, prelu):
        super().__init__(OrderedDict(norm=nn.BatchNorm2d(cin), act=act(prelu, cin),
                                     conv=nn.Conv2d(cin, cin // 2, 1, bias=False),
                                     pool=nn.AvgPool2d(2, 2)))


class ConvUnit(nn.Sequential):
    def __init__(self, cin, cout, prelu):
        super().__init__(OrderedDict(conv=nn.Conv2d(cin, cout, 3, padding=1, bias=False),
                                     bn=nn.BatchNorm2d(cout), act=act(prelu, cout)))


class NormAct(nn.Sequential):
    def __init__(self, channels, prelu):
        super().__init__(OrderedDict(bn=nn.BatchNorm2d(channels), act=act(prelu, channels)))


def face_densenet121(prelu):
    layers = OrderedDict()
    layers["conv0"] = ConvUnit(3, 64, prelu)
    layers["pool0"] = nn.MaxPool2d(3, 2, 1)
    channels = 64
    for i, n in enumerate([6, 12, 24, 16]):
        layers[f"denseblock{i + 1}"] = dense_block(channels, n, 32, prelu)
        channels += 32 * n
        if i < 3:
            layers[f"transition{i + 1}"] = Transition(channels, prelu)
            channels //= 2
    layers["norm5"] = NormAct(channels, prelu)
    layers["bn1"] = nn.BatchNorm2d(channels)
    layers["dropout"] = nn.Dropout(0.4)
    layers["flatten"] = nn.Flatten()
    layers["fc1"] = nn.Linear(channels * 7 * 7, 512)
    layers["embedding"] = nn.BatchNorm1d(512)
    return nn.Sequential(layers)


if __name__ == "__main__":
    for name, prelu in [("densenet121_face", False), ("densenet121_face_prelu", True)]:
        model = face_densenet121(prelu).eval()
        out = model(torch.zeros(1, 3, 112, 112))
        print(name, sum(p.numel() for p in model.parameters()), tuple(out.shape))
