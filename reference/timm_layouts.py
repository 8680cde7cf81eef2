"""Small PyTorch definitions of timm's DPN, SE-ResNet, SK-ResNeXt and ResNeSt with timm's module
names, so that their state dicts carry exactly the keys timm's pretrained files carry.

timm itself is not a dependency: each class below follows the timm source it names
(timm/models/dpn.py, resnet.py, sknet.py, resnest.py and timm/layers/{squeeze_excite,
selective_kernel, split_attn}.py) in layout, names, paddings, epsilons and rounding of widths.
"""
import math
from collections import OrderedDict

import torch
from torch import nn
import torch.nn.functional as F


def make_divisible(v, divisor=8, min_value=None, round_limit=.9):
    """timm.layers.helpers.make_divisible."""
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < round_limit * v:
        new_v += divisor
    return new_v


def get_padding(kernel_size, stride=1, dilation=1):
    """timm.layers.padding.get_padding: symmetric padding of a 'same'-like static conv."""
    return ((stride - 1) + dilation * (kernel_size - 1)) // 2


class BatchNormAct2d(nn.BatchNorm2d):
    """timm's BatchNormAct2d: a BatchNorm2d (same parameter names) followed by an activation,
    ReLU unless another is given."""

    def __init__(self, channels, eps=1e-5, apply_act=True, act=None):
        super().__init__(channels, eps=eps)
        self.act = (act or nn.ReLU(inplace=True)) if apply_act else nn.Identity()

    def forward(self, x):
        return self.act(super().forward(x))


class ConvNormAct(nn.Module):
    """timm's ConvNormAct: conv (no bias, symmetric padding), then BatchNormAct2d as `bn`."""

    def __init__(self, cin, cout, kernel_size=1, stride=1, dilation=1, groups=1, eps=1e-5,
                 apply_act=True):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel_size, stride,
                              get_padding(kernel_size, stride, dilation), dilation, groups,
                              bias=False)
        self.bn = BatchNormAct2d(cout, eps=eps, apply_act=apply_act)

    def forward(self, x):
        return self.bn(self.conv(x))


# ------------------------------------------------------------------------------------------------
# DPN (timm/models/dpn.py): BatchNorm eps 1e-3 everywhere, 1x1-conv classifier.

DPN_EPS = 1e-3


class SEModule(nn.Module):
    """timm.layers.squeeze_excite.SEModule without its optional BN: mean, fc1, ReLU, fc2,
    sigmoid gate."""

    def __init__(self, channels, rd_channels):
        super().__init__()
        self.fc1 = nn.Conv2d(channels, rd_channels, 1, bias=True)
        self.act = nn.ReLU(inplace=True)
        self.fc2 = nn.Conv2d(rd_channels, channels, 1, bias=True)

    def forward(self, x):
        s = x.mean((2, 3), keepdim=True)
        return x * torch.sigmoid(self.fc2(self.act(self.fc1(s))))


class BnActConv2d(nn.Module):
    def __init__(self, cin, cout, kernel_size, stride, groups=1):
        super().__init__()
        self.bn = BatchNormAct2d(cin, eps=DPN_EPS)
        self.conv = nn.Conv2d(cin, cout, kernel_size, stride, get_padding(kernel_size, stride),
                              groups=groups, bias=False)

    def forward(self, x):
        return self.conv(self.bn(x))


class DualPathBlock(nn.Module):
    def __init__(self, cin, num_1x1_a, num_3x3_b, num_1x1_c, inc, groups, block_type, se=False):
        super().__init__()
        self.num_1x1_c = num_1x1_c
        self.inc = inc
        key_stride = 2 if block_type == 'down' else 1
        if block_type == 'proj':
            self.c1x1_w_s1 = BnActConv2d(cin, num_1x1_c + 2 * inc, 1, 1)
        elif block_type == 'down':
            self.c1x1_w_s2 = BnActConv2d(cin, num_1x1_c + 2 * inc, 1, 2)
        self.projection = block_type != 'normal'
        self.key_stride = key_stride
        self.c1x1_a = BnActConv2d(cin, num_1x1_a, 1, 1)
        self.c3x3_b = BnActConv2d(num_1x1_a, num_3x3_b, 3, key_stride, groups=groups)
        self.c1x1_c = BnActConv2d(num_3x3_b, num_1x1_c + inc, 1, 1)
        # the SE gate of netspec's SE-DPN (not a timm model): on the residual part, before the add
        self.se = SEModule(num_1x1_c, max(num_1x1_c // 16, 1)) if se else None

    def forward(self, x):
        x_in = torch.cat(x, dim=1) if isinstance(x, tuple) else x
        if self.projection:
            proj = self.c1x1_w_s1(x_in) if self.key_stride == 1 else self.c1x1_w_s2(x_in)
            x_s1, x_s2 = proj[:, :self.num_1x1_c], proj[:, self.num_1x1_c:]
        else:
            x_s1, x_s2 = x
        y = self.c1x1_c(self.c3x3_b(self.c1x1_a(x_in)))
        out1, out2 = y[:, :self.num_1x1_c], y[:, self.num_1x1_c:]
        if self.se is not None:
            out1 = self.se(out1)
        return x_s1 + out1, torch.cat([x_s2, out2], dim=1)


class CatBnAct(nn.Module):
    """The last BatchNorm of a DPN, with ELU: timm's fc_act_layer='elu'."""

    def __init__(self, channels):
        super().__init__()
        self.bn = BatchNormAct2d(channels, eps=DPN_EPS, act=nn.ELU())

    def forward(self, x):
        return self.bn(torch.cat(x, dim=1) if isinstance(x, tuple) else x)


class DPN(nn.Module):
    """timm's DPN (b=False), names `features.conv1_1.conv`, `features.conv2_1.c1x1_w_s1`,
    `features.conv5_bn_ac.bn`, `classifier` (a 1x1 conv with bias). A small DPN has a 3x3 stem
    and a quarter of the widths; k_r is the grouped 3x3's width in the first stage either way."""

    def __init__(self, num_init_features, k_r, groups, k_sec, inc_sec, num_classes=1000, se=False,
                 small=False):
        super().__init__()
        bw_factor = 1 if small else 4
        blocks = OrderedDict()
        blocks['conv1_1'] = ConvNormAct(3, num_init_features, 3 if small else 7, 2, eps=DPN_EPS)
        blocks['conv1_pool'] = nn.MaxPool2d(3, 2, 1)
        in_chs = num_init_features
        widths = tuple(64 * bw_factor * 2 ** s for s in range(4))
        for stage, (width, n, inc) in enumerate(zip(widths, k_sec, inc_sec)):
            r = k_r * width // (64 * bw_factor)
            for b in range(1, n + 1):
                kind = 'normal' if b > 1 else ('proj' if stage == 0 else 'down')
                blocks[f'conv{stage + 2}_{b}'] = DualPathBlock(in_chs, r, r, width, inc, groups,
                                                               kind, se)
                in_chs = width + (b + 2) * inc if b == 1 else in_chs + inc
        blocks['conv5_bn_ac'] = CatBnAct(in_chs)
        self.features = nn.Sequential(blocks)
        self.classifier = nn.Conv2d(in_chs, num_classes, 1, bias=True)

    def forward(self, x):
        x = self.features(x)
        x = F.adaptive_avg_pool2d(x, 1)
        return torch.flatten(self.classifier(x), 1)


def dpn68():
    return DPN(10, 128, 32, (3, 4, 12, 3), (16, 32, 32, 64), small=True)


def dpn92(se=False):
    return DPN(64, 96, 32, (3, 4, 20, 3), (16, 32, 24, 128), se=se)


def dpn98():
    return DPN(96, 160, 40, (3, 6, 20, 3), (16, 32, 32, 128))


def dpn107():
    return DPN(128, 200, 50, (4, 8, 20, 3), (20, 64, 64, 128))


def dpn131():
    return DPN(128, 160, 40, (4, 8, 28, 3), (16, 32, 32, 128))


# ------------------------------------------------------------------------------------------------
# ResNet family (timm/models/resnet.py): torchvision's names (conv1, bn1, layerN.i.convK, bnK,
# downsample.0/1, fc) plus the blocks' attention modules.

class Bottleneck(nn.Module):
    """timm's Bottleneck with an optional SE module (`se`) after bn3, before the add."""
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None, se=False):
        super().__init__()
        width = planes
        out = planes * 4
        self.conv1 = nn.Conv2d(inplanes, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.act1 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(width, width, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.act2 = nn.ReLU(inplace=True)
        self.conv3 = nn.Conv2d(width, out, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out)
        self.se = SEModule(out, make_divisible(out / 16, 8, round_limit=0.)) if se else None
        self.act3 = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        y = self.act1(self.bn1(self.conv1(x)))
        y = self.act2(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        if self.se is not None:
            y = self.se(y)
        shortcut = self.downsample(x) if self.downsample is not None else x
        return self.act3(y + shortcut)


class SelectiveKernelAttn(nn.Module):
    def __init__(self, channels, num_paths, attn_channels):
        super().__init__()
        self.num_paths = num_paths
        self.fc_reduce = nn.Conv2d(channels, attn_channels, 1, bias=False)
        self.bn = nn.BatchNorm2d(attn_channels)
        self.act = nn.ReLU(inplace=True)
        self.fc_select = nn.Conv2d(attn_channels, channels * num_paths, 1, bias=False)

    def forward(self, x):
        x = x.sum(1).mean((2, 3), keepdim=True)
        x = self.fc_select(self.act(self.bn(self.fc_reduce(x))))
        b, c, h, w = x.shape
        return torch.softmax(x.view(b, self.num_paths, c // self.num_paths, h, w), dim=1)


class SelectiveKernel(nn.Module):
    """timm's SelectiveKernel with keep_3x3=True, split_input=False: kernels [3, 5] become 3x3
    convs of dilation 1 and 2 (`paths.0`, `paths.1`), then `attn`."""

    def __init__(self, cin, cout, stride, groups, rd_ratio=1. / 16, rd_divisor=32):
        super().__init__()
        groups = min(cout, groups)
        self.paths = nn.ModuleList([ConvNormAct(cin, cout, 3, stride, d, groups) for d in (1, 2)])
        self.attn = SelectiveKernelAttn(cout, 2, make_divisible(cout * rd_ratio, rd_divisor))

    def forward(self, x):
        paths = torch.stack([p(x) for p in self.paths], dim=1)
        return torch.sum(paths * self.attn(paths), dim=1)


class SelectiveKernelBottleneck(nn.Module):
    """timm's SelectiveKernelBottleneck: conv1 / conv3 are ConvNormAct (`conv1.conv`, `conv1.bn`)."""
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None, cardinality=32, base_width=4):
        super().__init__()
        width = int(math.floor(planes * (base_width / 64)) * cardinality)
        self.conv1 = ConvNormAct(inplanes, width, 1)
        self.conv2 = SelectiveKernel(width, width, stride, cardinality)
        self.conv3 = ConvNormAct(width, planes * 4, 1, apply_act=False)
        self.act = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        y = self.conv3(self.conv2(self.conv1(x)))
        shortcut = self.downsample(x) if self.downsample is not None else x
        return self.act(y + shortcut)


class RadixSoftmax(nn.Module):
    def __init__(self, radix, cardinality):
        super().__init__()
        self.radix = radix
        self.cardinality = cardinality

    def forward(self, x):
        batch = x.size(0)
        if self.radix > 1:
            x = x.view(batch, self.cardinality, self.radix, -1).transpose(1, 2)
            return F.softmax(x, dim=1).reshape(batch, -1)
        return torch.sigmoid(x)


class SplitAttn(nn.Module):
    """timm.layers.split_attn.SplitAttn (rd_ratio 0.25, rd_divisor 8, min 32 channels)."""

    def __init__(self, channels, stride=1, groups=1, radix=2, rd_ratio=0.25):
        super().__init__()
        self.radix = radix
        mid = channels * radix
        attn = make_divisible(channels * radix * rd_ratio, min_value=32, divisor=8)
        self.conv = nn.Conv2d(channels, mid, 3, stride, 1, groups=groups * radix, bias=False)
        self.bn0 = nn.BatchNorm2d(mid)
        self.act0 = nn.ReLU(inplace=True)
        self.fc1 = nn.Conv2d(channels, attn, 1, groups=groups)
        self.bn1 = nn.BatchNorm2d(attn)
        self.act1 = nn.ReLU(inplace=True)
        self.fc2 = nn.Conv2d(attn, mid, 1, groups=groups)
        self.rsoftmax = RadixSoftmax(radix, groups)

    def forward(self, x):
        x = self.act0(self.bn0(self.conv(x)))
        b, rc, h, w = x.shape
        x = x.reshape((b, self.radix, rc // self.radix, h, w))
        gap = x.sum(dim=1).mean((2, 3), keepdim=True)
        gap = self.act1(self.bn1(self.fc1(gap)))
        attn = self.rsoftmax(self.fc2(gap)).view(b, -1, 1, 1)
        return (x * attn.reshape((b, self.radix, rc // self.radix, 1, 1))).sum(dim=1)


class ResNestBottleneck(nn.Module):
    """timm's ResNestBottleneck with radix 2, avd=True, avd_first=False: a strided block's 3x3
    runs at stride 1 and a 3x3 average pool (`avd_last`, no parameters) strides after it."""
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None, radix=2, cardinality=1,
                 base_width=64):
        super().__init__()
        width = int(planes * (base_width / 64.)) * cardinality
        avd_stride = stride if stride > 1 else 0
        self.conv1 = nn.Conv2d(inplanes, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.act1 = nn.ReLU(inplace=True)
        self.conv2 = SplitAttn(width, 1, cardinality, radix)
        self.avd_last = nn.AvgPool2d(3, avd_stride, padding=1) if avd_stride else None
        self.conv3 = nn.Conv2d(width, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.act3 = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        y = self.conv2(self.act1(self.bn1(self.conv1(x))))
        if self.avd_last is not None:
            y = self.avd_last(y)
        y = self.bn3(self.conv3(y))
        shortcut = self.downsample(x) if self.downsample is not None else x
        return self.act3(y + shortcut)


class ResNet(nn.Module):
    """timm's ResNet: a 7x7 stem (`conv1`, `bn1`) or the deep stem of ResNet-D (`conv1.0`,
    `conv1.1`, `conv1.3`, `conv1.4`, `conv1.6`, then `bn1`), a 3x3 max pool, four stages and `fc`.
    `avg_down` projects with `downsample.0` (2x2 average pool, ceil mode, padding not counted, or
    nothing at stride 1), `downsample.1` conv and `downsample.2` BN."""

    def __init__(self, block, layers, num_classes=1000, deep_stem=False, stem_width=32,
                 avg_down=False, **block_args):
        super().__init__()
        if deep_stem:
            self.conv1 = nn.Sequential(
                nn.Conv2d(3, stem_width, 3, 2, 1, bias=False), nn.BatchNorm2d(stem_width),
                nn.ReLU(inplace=True),
                nn.Conv2d(stem_width, stem_width, 3, 1, 1, bias=False), nn.BatchNorm2d(stem_width),
                nn.ReLU(inplace=True),
                nn.Conv2d(stem_width, 64, 3, 1, 1, bias=False))
        else:
            self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.act1 = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        inplanes = 64
        for i, (planes, n) in enumerate(zip((64, 128, 256, 512), layers)):
            stride = 1 if i == 0 else 2
            out = planes * block.expansion
            downsample = None
            if stride != 1 or inplanes != out:
                if avg_down:
                    pool = (nn.AvgPool2d(2, stride, ceil_mode=True, count_include_pad=False)
                            if stride != 1 else nn.Identity())
                    downsample = nn.Sequential(pool, nn.Conv2d(inplanes, out, 1, bias=False),
                                               nn.BatchNorm2d(out))
                else:
                    downsample = nn.Sequential(nn.Conv2d(inplanes, out, 1, stride, bias=False),
                                               nn.BatchNorm2d(out))
            blocks = [block(inplanes, planes, stride, downsample, **block_args)]
            blocks += [block(out, planes, **block_args) for _ in range(1, n)]
            setattr(self, f'layer{i + 1}', nn.Sequential(*blocks))
            inplanes = out
        self.fc = nn.Linear(inplanes, num_classes)

    def forward(self, x):
        x = self.maxpool(self.act1(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def seresnet50():
    return ResNet(Bottleneck, (3, 4, 6, 3), se=True)


def skresnext50_32x4d():
    return ResNet(SelectiveKernelBottleneck, (3, 4, 6, 3), cardinality=32, base_width=4)


def resnest50d():
    return ResNet(ResNestBottleneck, (3, 4, 6, 3), deep_stem=True, stem_width=32, avg_down=True,
                  radix=2, cardinality=1, base_width=64)
