"""Writes the timm fixtures of TimmParityTest: random units of timm's SEModule, SelectiveKernel
and SplitAttn in eval mode, their parameters renamed and laid out as netspec's (HWIO convolution
weights), an NHWC input and the unit's NHWC output.

Run from this folder with timm on the path, e.g.
  PYTHONPATH=/path/to/pytorch-image-models python3 make_fixtures.py
"""
import torch
from torch import nn
from timm.layers import SelectiveKernel, SplitAttn
from timm.layers.squeeze_excite import SEModule


def randomize(module, generator):
    with torch.no_grad():
        for name, p in module.named_parameters():
            p.copy_(0.4 * torch.randn(p.shape, generator=generator))
        for m in module.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.copy_(0.2 * torch.randn(m.running_mean.shape, generator=generator))
                m.running_var.copy_(0.5 + 0.5 * torch.randn(m.running_var.shape, generator=generator).abs())


def write(path, module, x):
    module.eval()
    with torch.no_grad():
        y = module(x)
    with open(path, 'w') as f:
        def line(name, t):
            f.write(name + '\t' + ','.join(str(d) for d in t.shape) + '\t'
                    + ' '.join('%.9g' % float(v) for v in t.flatten()) + '\n')
        line('input', x.permute(0, 2, 3, 1))
        line('output', y.permute(0, 2, 3, 1))
        for name, t in module.state_dict().items():
            if name.endswith('num_batches_tracked'):
                continue
            if t.dim() == 4:
                t = t.permute(2, 3, 1, 0)  # OIHW -> HWIO
            name = name.replace('.bn.act.', '.act.')
            line(name, t)


g = torch.Generator().manual_seed(4)
se = SEModule(8, rd_channels=2)
randomize(se, g)
write('se_8_r2.txt', se, torch.randn(2, 8, 5, 5, generator=g))

sk = SelectiveKernel(4, 4, kernel_size=[3, 5], stride=1, groups=2, rd_ratio=1 / 16, rd_divisor=32,
                     split_input=False)
randomize(sk, g)
write('sk_4_b2_g2_s1.txt', sk, torch.randn(2, 4, 6, 6, generator=g))

sk3 = SelectiveKernel(4, 6, kernel_size=[3, 5, 7], stride=2, groups=2, rd_ratio=1 / 16,
                      rd_divisor=32, split_input=False)
randomize(sk3, g)
write('sk_4_6_b3_g2_s2.txt', sk3, torch.randn(2, 4, 7, 7, generator=g))

for radix, cardinality, stride, channels, side in [(2, 2, 1, 8, 6), (1, 4, 1, 8, 5), (3, 1, 2, 6, 7)]:
    sa = SplitAttn(channels, channels, stride=stride, radix=radix, groups=cardinality,
                   norm_layer=nn.BatchNorm2d)
    randomize(sa, g)
    write('sa_%d_r%d_c%d_s%d.txt' % (channels, radix, cardinality, stride), sa,
          torch.randn(2, channels, side, side, generator=g))
