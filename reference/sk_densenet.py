"""The PyTorch twin of netspec's `densenet121_sk`: torchvision's DenseNet-121 whose dense layer's
3x3 convolution is timm's SelectiveKernel (two 3x3 ConvNormAct paths of dilation 1 and 2, the
attention `attn` of width make_divisible(growth / 16, 8)), with torchvision's module names; the
dense blocks are Sequentials (`features.denseblock1.0.norm1.weight`).

    /usr/bin/python3 reference/sk_densenet.py     # prints the parameter count

The count is PyTorch's own, sum(p.numel() for p in model.parameters()), an independent check of
the `@Expect(parameters)` in examples/.../zoo/SKDenseNets.java.
"""
import os
import sys
from collections import OrderedDict

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timm_layouts import SelectiveKernel  # noqa: E402


class SKDenseLayer(nn.Module):
    """torchvision's _DenseLayer with `conv2` a selective kernel: BN-ReLU-1x1 (bn_size x growth),
    BN-ReLU, SelectiveKernel to `growth` channels; the new features concatenated after the input."""

    def __init__(self, cin, growth, bn_size):
        super().__init__()
        width = bn_size * growth
        self.norm1 = nn.BatchNorm2d(cin)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(cin, width, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(width)
        self.relu2 = nn.ReLU(inplace=True)
        self.conv2 = SelectiveKernel(width, growth, stride=1, groups=1, rd_divisor=8)

    def forward(self, x):
        y = self.conv1(self.relu1(self.norm1(x)))
        return torch.cat([x, self.conv2(self.relu2(self.norm2(y)))], 1)


class Transition(nn.Sequential):
    """torchvision's _Transition: BN-ReLU, 1x1 to half the channels, 2x2 average pool."""

    def __init__(self, cin, cout):
        super().__init__(OrderedDict(norm=nn.BatchNorm2d(cin), relu=nn.ReLU(inplace=True),
                                     conv=nn.Conv2d(cin, cout, 1, bias=False),
                                     pool=nn.AvgPool2d(2, 2)))


class SKDenseNet(nn.Module):
    def __init__(self, growth=32, blocks=(6, 12, 24, 16), stem=64, bn_size=4, classes=1000):
        super().__init__()
        features = OrderedDict(
            conv0=nn.Conv2d(3, stem, 7, 2, 3, bias=False), norm0=nn.BatchNorm2d(stem),
            relu0=nn.ReLU(inplace=True), pool0=nn.MaxPool2d(3, 2, 1))
        channels = stem
        for i, layers in enumerate(blocks):
            block = []
            for _ in range(layers):
                block.append(SKDenseLayer(channels, growth, bn_size))
                channels += growth
            features[f'denseblock{i + 1}'] = nn.Sequential(*block)
            if i < len(blocks) - 1:
                features[f'transition{i + 1}'] = Transition(channels, channels // 2)
                channels //= 2
        features['norm5'] = nn.BatchNorm2d(channels)
        self.features = nn.Sequential(features)
        self.classifier = nn.Linear(channels, classes)

    def forward(self, x):
        x = torch.relu(self.features(x))
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return self.classifier(x)


def densenet121_sk():
    return SKDenseNet()


if __name__ == '__main__':
    print(sum(p.numel() for p in densenet121_sk().parameters()))
