"""Writes reference files for `netspec parity`: a network's state dict under PyTorch's names,
plus `input` (NCHW) and `output`, computed by PyTorch on those weights, as .safetensors.

    /usr/bin/python3 reference/parity_reference.py --out DIR [--dtype F32|F16|BF16|F64] NAME[:DTYPE]...
    /usr/bin/python3 reference/parity_reference.py --list

NAME is a netspec zoo name (or tiny_face_prelu, a test network), DTYPE overrides --dtype for
it; each file is DIR/NAME.safetensors. The weights are not PyTorch's
defaults alone: BatchNorm gamma and beta, biases and PReLU slopes are random, and the running
statistics are the batch statistics of a few random batches, then perturbed, so that a wrong
epsilon, swapped mean and variance or a transposed kernel changes the output. With --dtype F16
or BF16 the weights are rounded to that type before the output is computed, and stored in it;
F64 stores the float32 weights widened.

torch 1.13 has no safetensors module: the writer below follows the format (8-byte little-endian
header length, a JSON header {name: {dtype, shape, data_offsets}}, the data, contiguous).
"""
import argparse
import json
import os
import struct
import sys
from collections import OrderedDict

import torch
from torch import nn
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import face_densenet  # noqa: E402
import sk_densenet  # noqa: E402
import timm_layouts  # noqa: E402


def densenet_bc_100():
    """DenseNet-BC-100 (k = 12) for CIFAR with torchvision's names: a bare 3x3 stem
    `features.conv0`, three blocks of 16 layers, transitions of compression 0.5,
    `features.norm5`, ReLU, global average pool and `classifier`."""
    from torchvision.models.densenet import _DenseBlock, _Transition

    class DenseNetBC(nn.Module):
        def __init__(self, growth=12, layers=16, classes=10):
            super().__init__()
            features = OrderedDict(conv0=nn.Conv2d(3, 2 * growth, 3, padding=1, bias=False))
            channels = 2 * growth
            for i in range(3):
                features[f'denseblock{i + 1}'] = _DenseBlock(layers, channels, 4, growth, 0.0)
                channels += layers * growth
                if i < 2:
                    features[f'transition{i + 1}'] = _Transition(channels, channels // 2)
                    channels //= 2
            features['norm5'] = nn.BatchNorm2d(channels)
            self.features = nn.Sequential(features)
            self.classifier = nn.Linear(channels, classes)

        def forward(self, x):
            x = torch.relu(self.features(x))
            x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
            return self.classifier(x)

    return DenseNetBC()


class NormAct2d(nn.BatchNorm2d):
    """A BatchNorm2d with its activation as child `act`: keys `weight`, ..., `act.weight`, as
    netspec names a @BatchNorm stage with an activation."""

    def __init__(self, channels, act):
        super().__init__(channels)
        self.act = act

    def forward(self, x):
        return self.act(super().forward(x))


def tiny_face_prelu():
    """A miniature of the face DenseNet (16x16 input, PReLU everywhere, flatten and dense head)
    for a parity file small enough to ship with the tests; netspec's twin is the examples'
    TinyFacePReLUSpec."""
    f = face_densenet
    return nn.Sequential(OrderedDict([
        ('conv0', f.ConvUnit(3, 8, True)),
        ('pool0', nn.MaxPool2d(3, 2, 1)),
        ('denseblock1', f.dense_block(8, 2, 4, True)),
        ('transition1', f.Transition(16, True)),
        ('norm5', NormAct2d(8, nn.PReLU(8))),
        ('bn1', nn.BatchNorm2d(8)),
        ('dropout', nn.Dropout(0.4)),
        ('flatten', nn.Flatten()),
        ('fc1', nn.Linear(8 * 4 * 4, 16)),
        ('embedding', nn.BatchNorm1d(16)),
    ]))


class PreActSEBlock(nn.Module):
    """kuangliu/pytorch-cifar's PreActBlock of SENet18: BN-ReLU-conv twice, the projection
    `shortcut.0` applied to the first BN-ReLU's output, an SE gate `fc1`, `fc2` (channels // 16,
    no rounding) on the residual branch."""

    def __init__(self, cin, planes, stride=1):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        if stride != 1 or cin != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, planes, 1, stride, bias=False))
        self.fc1 = nn.Conv2d(planes, planes // 16, 1)
        self.fc2 = nn.Conv2d(planes // 16, planes, 1)

    def forward(self, x):
        out = torch.relu(self.bn1(x))
        shortcut = self.shortcut(out) if hasattr(self, 'shortcut') else x
        out = self.conv2(torch.relu(self.bn2(self.conv1(out))))
        w = nn.functional.avg_pool2d(out, out.size(2))
        w = torch.sigmoid(self.fc2(torch.relu(self.fc1(w))))
        return out * w + shortcut


class CifarSENet18(nn.Module):
    """kuangliu/pytorch-cifar's SENet18: 3x3 stem `conv1`, `bn1`, four stages of two
    PreActSEBlocks, 4x4 average pool (global at 32x32) and `linear` to 10 classes."""

    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        cin = 64
        for i, planes in enumerate((64, 128, 256, 512)):
            stride = 1 if i == 0 else 2
            setattr(self, f'layer{i + 1}', nn.Sequential(PreActSEBlock(cin, planes, stride),
                                                         PreActSEBlock(planes, planes)))
            cin = planes
        self.linear = nn.Linear(512, classes)

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.layer4(self.layer3(self.layer2(self.layer1(out))))
        out = nn.functional.avg_pool2d(out, 4)
        return self.linear(out.view(out.size(0), -1))


tv = torchvision.models

# zoo name -> (builder, input side)
NETWORKS = OrderedDict([
    ('resnet18', (lambda: tv.resnet18(), 224)),
    ('resnet34', (lambda: tv.resnet34(), 224)),
    ('resnet50', (lambda: tv.resnet50(), 224)),
    ('resnet101', (lambda: tv.resnet101(), 224)),
    ('resnet152', (lambda: tv.resnet152(), 224)),
    ('densenet121', (lambda: tv.densenet121(), 224)),
    ('densenet161', (lambda: tv.densenet161(), 224)),
    ('densenet169', (lambda: tv.densenet169(), 224)),
    ('densenet201', (lambda: tv.densenet201(), 224)),
    ('densenet_bc_100', (densenet_bc_100, 32)),
    ('densenet121_sk', (sk_densenet.densenet121_sk, 224)),
    ('densenet121_face', (lambda: face_densenet.face_densenet121(False), 112)),
    ('densenet121_face_prelu', (lambda: face_densenet.face_densenet121(True), 112)),
    ('dpn68', (timm_layouts.dpn68, 224)),
    ('dpn92', (timm_layouts.dpn92, 224)),
    ('dpn98', (timm_layouts.dpn98, 224)),
    ('dpn107', (timm_layouts.dpn107, 224)),
    ('dpn131', (timm_layouts.dpn131, 224)),
    ('se_dpn92', (lambda: timm_layouts.dpn92(se=True), 224)),
    ('seresnet50', (timm_layouts.seresnet50, 224)),
    ('senet18', (CifarSENet18, 32)),
    ('sknet50', (timm_layouts.skresnext50_32x4d, 224)),
    ('resnest50', (timm_layouts.resnest50d, 224)),
    ('mobilenet_v2', (lambda: tv.mobilenet_v2(), 224)),
    ('mobilenet_v3_large', (lambda: tv.mobilenet_v3_large(), 224)),
    ('efficientnet_b0', (lambda: tv.efficientnet_b0(), 224)),
    ('convnext_tiny', (lambda: tv.convnext_tiny(), 224)),
    ('regnet_y_400mf', (lambda: tv.regnet_y_400mf(), 224)),
    ('tiny_face_prelu', (tiny_face_prelu, 16)),
])

DTYPES = {'F64': torch.float64, 'F32': torch.float32, 'F16': torch.float16,
          'BF16': torch.bfloat16}


def calibration_images(generator, count, side):
    """Noise with a smooth random field, scale and offset of its own per image and channel."""
    field = nn.functional.interpolate(torch.randn(count, 3, 4, 4, generator=generator),
                                      size=(side, side), mode='bilinear', align_corners=False)
    scale = torch.empty(count, 3, 1, 1).uniform_(0.5, 1.5, generator=generator)
    offset = 0.5 * torch.randn(count, 3, 1, 1, generator=generator)
    return scale * torch.randn(count, 3, side, side, generator=generator) + field + offset


def randomize(model, generator, side):
    """Random affine BatchNorm and LayerNorm parameters, biases, PReLU slopes and layer scales
    (ConvNeXt's start at 1e-6, which would hide its blocks); running statistics from random
    batches at the network's input size (the statistics of a dilated branch or a pooled attention
    vector depend on it), then perturbed per channel."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(getattr(m, 'layer_scale', None), nn.Parameter):
                m.layer_scale.uniform_(0.2, 0.8, generator=generator)
            if isinstance(m, (nn.modules.batchnorm._BatchNorm, nn.LayerNorm)):
                m.weight.uniform_(0.5, 1.5, generator=generator)
                m.bias.normal_(0.0, 0.2, generator=generator)
            elif isinstance(m, (nn.Conv2d, nn.Linear)) and m.bias is not None:
                m.bias.normal_(0.0, 0.1, generator=generator)
            elif isinstance(m, nn.PReLU):
                m.weight.uniform_(0.05, 0.45, generator=generator)
        norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
        for m in norms:
            m.reset_running_stats()
            m.momentum = None  # a cumulative average over the calibration batches
        model.train()
        # batches of 6 varied images: the BatchNorms of attention units see one pooled vector
        # per image, which must vary from image to image as it does on real data; a network
        # without BatchNorm (ConvNeXt) has nothing to calibrate
        for _ in range(2 if norms else 0):
            model(calibration_images(generator, 6, side))
        model.eval()
        for m in norms:
            m.momentum = 0.1
            c = m.running_mean.numel()
            std = m.running_var.clamp_min(1e-4).sqrt()
            m.running_mean.add_(0.1 * std * torch.randn(c, generator=generator))
            m.running_var.mul_(torch.empty(c).uniform_(0.7, 1.4, generator=generator))


def round_to(model, dtype):
    with torch.no_grad():
        for t in list(model.parameters()) + list(model.buffers()):
            if t.is_floating_point():
                t.copy_(t.to(dtype).to(torch.float32))


SAFETENSORS_DTYPE = {torch.float32: 'F32', torch.float16: 'F16', torch.bfloat16: 'BF16',
                     torch.float64: 'F64', torch.int64: 'I64'}


def write_safetensors(path, tensors, metadata=None):
    """tensors: name -> contiguous CPU tensor. Data laid out in order, without gaps."""
    header = OrderedDict()
    if metadata:
        header['__metadata__'] = {str(k): str(v) for k, v in metadata.items()}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        if t.dtype == torch.bfloat16:  # numpy has no bfloat16: take its raw 16 bits
            data = t.view(torch.int16).numpy().astype('<i2').tobytes()
        else:
            data = t.numpy().astype(t.numpy().dtype.newbyteorder('<')).tobytes()
        header[name] = {'dtype': SAFETENSORS_DTYPE[t.dtype], 'shape': list(t.shape),
                        'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)  # the data starts 8-byte aligned, as the reference writer does
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


def reference(name, dtype='F32', seed=0):
    """(state dict under PyTorch's names, input, output) for zoo network `name`."""
    builder, side = NETWORKS[name]
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model = builder()
    randomize(model, generator, side)
    if dtype != 'F32':
        round_to(model, DTYPES[dtype])
    x = torch.randn(1, 3, side, side, generator=generator)
    with torch.no_grad():
        y = model(x)
    state = OrderedDict()
    for key, t in model.state_dict().items():
        state[key] = t.to(DTYPES[dtype]) if t.is_floating_point() else t
    return model, state, x, y


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('names', nargs='*', metavar='NAME')
    parser.add_argument('--out', default='.')
    parser.add_argument('--dtype', default='F32', choices=sorted(DTYPES))
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--list', action='store_true', help='print the known names and exit')
    args = parser.parse_args(argv)
    if args.list or not args.names:
        for name, (builder, side) in NETWORKS.items():
            print(name, side)
        return 0
    jobs = [(n.partition(':')[0], n.partition(':')[2] or args.dtype) for n in args.names]
    unknown = [n for n, _ in jobs if n not in NETWORKS] + [d for _, d in jobs if d not in DTYPES]
    if unknown:
        parser.error('unknown network(s) or dtype(s): ' + ', '.join(unknown))
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    for name, dtype in jobs:
        model, state, x, y = reference(name, dtype, args.seed)
        tensors = OrderedDict(state)
        tensors['input'] = x
        tensors['output'] = y
        path = os.path.join(args.out, name + '.safetensors')
        tmp = path + '.tmp'
        write_safetensors(tmp, tensors, {'network': name, 'dtype': dtype,
                                         'seed': args.seed, 'torch': torch.__version__})
        os.replace(tmp, path)
        params = sum(p.numel() for p in model.parameters())
        print(f'{path}: {params} parameters, input {tuple(x.shape)}, output {tuple(y.shape)}, '
              f'max |output| {y.abs().max().item():.4g}', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
