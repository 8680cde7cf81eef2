"""Writes dual_path_timm.txt: a small stage of timm's DualPathBlocks (with and without a
squeeze-excite gate on each block's residual part), its weights under netspec's names, an
input, and the outputs in eval and train mode. Used by DualPathStageTest.

Run with timm installed (or timm/models/dpn.py importable) and PyTorch:
    python3 dual_path_timm.py > dual_path_timm.txt
"""
import torch
import torch.nn as nn
from timm.models.dpn import DualPathBlock

IN, SIZE, BLOCKS, WIDTH, INC, KR, G, STRIDE = 6, 5, 2, 8, 2, 128, 2, 2
R = KR * WIDTH // 256


class SE(nn.Module):
    """DSL.md's squeeze-excite: mean, 1x1 conv with bias, ReLU, 1x1 conv with bias, sigmoid."""

    def __init__(self, c, reduction):
        super().__init__()
        self.fc1 = nn.Conv2d(c, max(c // reduction, 1), 1, bias=True)
        self.fc2 = nn.Conv2d(max(c // reduction, 1), c, 1, bias=True)

    def forward(self, x):
        return x * torch.sigmoid(self.fc2(torch.relu(self.fc1(x.mean((2, 3), keepdim=True)))))


class Stage(nn.Module):
    def __init__(self, se):
        super().__init__()
        c = IN
        self.blocks = nn.ModuleList()
        self.se = nn.ModuleList()
        for i in range(BLOCKS):
            kind = ('proj' if STRIDE == 1 else 'down') if i == 0 else 'normal'
            self.blocks.append(DualPathBlock(c, R, R, WIDTH, INC, G, kind))
            self.se.append(SE(WIDTH, 4) if se else nn.Identity())
            c = WIDTH + (i + 3) * INC

    def forward(self, x):
        for block, se in zip(self.blocks, self.se):
            # timm's block, with the gate applied to its residual part before the add
            x_in = torch.cat(x, 1) if isinstance(x, tuple) else x
            if block.c1x1_w_s1 is None and block.c1x1_w_s2 is None:
                s1, s2 = x
            else:
                p = (block.c1x1_w_s1 or block.c1x1_w_s2)(x_in)
                s1, s2 = p[:, :WIDTH], p[:, WIDTH:]
            y = block.c1x1_c(block.c3x3_b(block.c1x1_a(x_in)))
            x = (s1 + se(y[:, :WIDTH]), torch.cat([s2, y[:, WIDTH:]], 1))
        return torch.cat(x, 1)


def emit(name, t):
    t = t.detach()
    if t.dim() == 4 and name != 'input' and not name.startswith('output'):
        t = t.permute(2, 3, 1, 0)  # conv weight OIHW -> HWIO
    elif t.dim() == 4:
        t = t.permute(0, 2, 3, 1)  # NCHW -> NHWC
    print('tensor', name, t.dim(), *t.shape)
    print(' '.join('%.9g' % v for v in t.flatten().tolist()))


torch.manual_seed(7)
x = torch.randn(2, IN, SIZE, SIZE)
emit('input', x)
for se in (False, True):
    stage = Stage(se)
    # BatchNorm statistics and affine parameters away from their initial values
    for name, t in stage.state_dict().items():
        if name.endswith('running_var') or name.endswith('bn.weight'):
            t.uniform_(0.5, 2.0)
        elif name.endswith('running_mean') or name.endswith('bn.bias'):
            t.normal_(0, 0.3)
    prefix = 'se' if se else 'plain'
    for name, t in stage.state_dict().items():
        if name.endswith('num_batches_tracked'):
            continue
        parts = name.split('.')
        block = int(parts[1]) + 1
        if parts[0] == 'blocks':
            emit('%s.%d.%s' % (prefix, block, '.'.join(parts[2:])), t)
        else:
            emit('%s.%d.se.%s' % (prefix, block, '.'.join(parts[2:])), t)
    stage.eval()
    with torch.no_grad():
        emit('output.%s.eval' % prefix, stage(x))
    stage.train()
    with torch.no_grad():
        emit('output.%s.train' % prefix, stage(x))
