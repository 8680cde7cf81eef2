"""netspec against PyTorch on this CPU, side by side.

Run with Debian's PyTorch, after `mvn -B -q package -DskipTests -pl examples -am`:

    /usr/bin/python3 reference/side_by_side.py                 # every case of BENCHMARKS.md
    /usr/bin/python3 reference/side_by_side.py --cases resnet50:8 --samples 5
    /usr/bin/python3 reference/side_by_side.py --memory-only   # densenet121 training, batch 32

Both sides use 2 threads. The samples alternate, PyTorch then netspec, because this machine's
speed drifts: its two vCPUs are sometimes not scheduled together for 10-20 s, which slows a
2-thread convolution about 3x. A short canary convolution is timed before and after every
sample; a sample whose canaries are more than --tolerance slower than the best canary seen is
dirty and taken again (up to --retries times, then kept and counted as dirty).

The machine's peak is measured the same way as the networks: a 4096x4096x4096 matrix product
run as a 1x1 convolution in PyTorch. Each case prints the medians, netspec/PyTorch and, for
inference, netspec's GMAC/s as a share of that peak. A markdown table comes last.
"""
import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time

import torch
import torch.nn.functional as F
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
JAR = os.path.join(ROOT, 'examples', 'target', 'netspec.jar')
THREADS = 2

# (network, batch, train, input side, classes): the goals of BENCHMARKS.md.
DEFAULT_CASES = ['resnet50:1', 'resnet50:8', 'densenet121:1', 'densenet121:8', 'dpn92:1',
                 'dpn92:8', 'densenet_bc_100:64:train', 'resnet50:8:train']
SIDES = {'densenet_bc_100': 32}
CLASSES = {'densenet_bc_100': 10}
# Forward multiply-accumulates per image, as the zoo's @Expect states them (PyTorch's count).
MACS = {'resnet50': 4_089_184_256, 'densenet121': 2_834_161_664, 'dpn92': 6_501_684_224,
        'densenet_bc_100': 287_929_692}


# ------------------------------------------------------------------------------------------------
# PyTorch models

def torch_model(name, memory_efficient=False):
    """torchvision's ResNet-50 and DenseNet-121; timm's DPN-92 and DenseNet-BC-100 from the
    repository's reference definitions (the layouts the parity tests check)."""
    if name == 'resnet50':
        return torchvision.models.resnet50()
    if name == 'densenet121':
        return torchvision.models.densenet121(memory_efficient=memory_efficient)
    sys.path.insert(0, HERE)
    if name == 'dpn92':
        import timm_layouts
        return timm_layouts.dpn92()
    if name == 'densenet_bc_100':
        import parity_reference
        return parity_reference.densenet_bc_100()
    raise ValueError(name)


# ------------------------------------------------------------------------------------------------
# Timing

def canary_ms():
    """A short 2-thread convolution: the machine's condition right now."""
    x, w = canary_ms.inputs
    best = float('inf')
    with torch.no_grad():
        for _ in range(3):
            t = time.perf_counter()
            F.conv2d(x, w, padding=1)
            best = min(best, (time.perf_counter() - t) * 1000)
    return best


canary_ms.inputs = (torch.randn(1, 64, 56, 56), torch.randn(64, 64, 3, 3))


def torch_step(name, batch, train):
    model = torch_model(name)
    side = SIDES.get(name, 224)
    images = torch.randn(batch, 3, side, side)
    if not train:
        model.eval()

        def step():
            with torch.no_grad():
                model(images)
        return step
    model.train()
    labels = torch.randint(0, CLASSES.get(name, 1000), (batch,))
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-4)

    def step():
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(images), labels).backward()
        optimizer.step()
    return step


def time_torch(step, warmup, runs):
    for _ in range(warmup):
        step()
    ms = []
    for _ in range(runs):
        t = time.perf_counter()
        step()
        ms.append((time.perf_counter() - t) * 1000)
    return statistics.median(ms)


def netspec_bench(name, batch, train, warmup, runs, extra=()):
    command = ['java', '-jar', JAR, 'bench', name, '--batch', str(batch), '--threads',
               str(THREADS), '--warmup', str(warmup), '--runs', str(runs), '--device', 'cpu']
    if name in SIDES:
        command += ['--size', str(SIDES[name])]
    if train:
        command.append('--train')
    command += list(extra)
    out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(' '.join(command) + ' failed:\n' + out.stdout + out.stderr)
    median = float(re.search(r'median_ms=([0-9.]+)', out.stdout).group(1))
    peak = re.search(r'peak resident memory: ([0-9.]+) MB', out.stdout)
    graph = re.search(r'graph ([0-9.]+) s', out.stdout)
    return median, float(peak.group(1)) if peak else None, float(graph.group(1)) if graph else None


class Canary:
    def __init__(self, tolerance):
        self.tolerance = tolerance
        self.best = min(canary_ms() for _ in range(5))
        self.dirty = 0

    def clean(self, before, after):
        self.best = min(self.best, before, after)
        return max(before, after) <= self.best * self.tolerance

    def sample(self, measure, retries):
        for attempt in range(retries + 1):
            before = canary_ms()
            value = measure()
            after = canary_ms()
            if self.clean(before, after):
                return value, True
        self.dirty += 1
        return value, False


def peak_gflops(canary, retries):
    """A 4096x4096x4096 matrix product as a 1x1 convolution: 2 * 4096^3 flops."""
    x, w = torch.randn(1, 4096, 64, 64), torch.randn(4096, 4096, 1, 1)

    def measure():
        with torch.no_grad():
            F.conv2d(x, w)
            best = float('inf')
            for _ in range(3):
                t = time.perf_counter()
                F.conv2d(x, w)
                best = min(best, time.perf_counter() - t)
        return 2 * 4096 ** 3 / best / 1e9

    values = [canary.sample(measure, retries)[0] for _ in range(3)]
    return max(values)


def torch_peak_memory_mb(name, batch, train, memory_efficient=False):
    """A fresh process runs two steps and reports ru_maxrss: PyTorch's peak resident memory."""
    code = (
        'import resource, sys, torch\n'
        f'sys.path.insert(0, {HERE!r})\n'
        'import side_by_side as s\n'
        f'torch.set_num_threads({THREADS})\n'
        f's.torch_model = (lambda f: lambda n, memory_efficient={memory_efficient}: '
        f'f(n, memory_efficient))(s.torch_model)\n'
        f'step = s.torch_step({name!r}, {batch}, {train})\n'
        'step(); step()\n'
        'print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n')
    out = subprocess.run(['/usr/bin/python3', '-c', code], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return float(out.stdout.strip().splitlines()[-1])


def parse_case(text):
    parts = text.split(':')
    return parts[0], int(parts[1]) if len(parts) > 1 else 1, len(parts) > 2 and parts[2] == 'train'


def machine_line():
    model = 'unknown CPU'
    try:
        with open('/proc/cpuinfo') as f:
            model = next(l.split(':', 1)[1].strip() for l in f if l.startswith('model name'))
    except (OSError, StopIteration):
        pass
    java = subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()
    return (f'{model}, {os.cpu_count()} vCPUs, load average {os.getloadavg()[0]:.1f} at start; '
            f'PyTorch {torch.__version__}, torchvision {torchvision.__version__}, '
            f'Python {platform.python_version()}, {java[0] if java else "java ?"}')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--cases', nargs='*', default=DEFAULT_CASES,
                        help='network:batch[:train], e.g. resnet50:8 densenet_bc_100:64:train')
    parser.add_argument('--samples', type=int, default=3, help='alternating pairs per case')
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--runs', type=int, default=5, help='timed runs inside one sample')
    parser.add_argument('--retries', type=int, default=2, help='retakes of a dirty sample')
    parser.add_argument('--tolerance', type=float, default=1.35,
                        help='a canary this much slower than the best seen marks a sample dirty')
    parser.add_argument('--memory', action='store_true',
                        help='also peak memory of a densenet121 training step at batch 32')
    parser.add_argument('--memory-only', action='store_true')
    parser.add_argument('--json', help='write the results here too')
    args = parser.parse_args(argv)
    if not os.path.exists(JAR):
        sys.exit(f'{JAR} is missing: mvn -B -q package -DskipTests -pl examples -am')
    torch.set_num_threads(THREADS)
    print(machine_line(), flush=True)
    canary = Canary(args.tolerance)
    print(f'canary (3x3 conv, 64 channels, 56x56): best {canary.best:.2f} ms', flush=True)
    results = {'machine': machine_line(), 'cases': [], 'memory': None}
    if not args.memory_only:
        peak = peak_gflops(canary, args.retries)
        results['peak_gflops'] = peak
        print(f'peak: 4096^3 matrix product as a 1x1 convolution, {peak:.0f} GFLOP/s', flush=True)
        for text in args.cases:
            name, batch, train = parse_case(text)
            step = torch_step(name, batch, train)
            torch_ms, netspec_ms, flags, graph = [], [], [], None
            for _ in range(args.samples):  # A B A B ...
                value, ok = canary.sample(lambda: time_torch(step, args.warmup, args.runs),
                                          args.retries)
                torch_ms.append(value)
                flags.append(ok)
                value, ok = canary.sample(
                    lambda: netspec_bench(name, batch, train, args.warmup, args.runs),
                    args.retries)
                netspec_ms.append(value[0])
                graph = value[2]
                flags.append(ok)
            t, n = statistics.median(torch_ms), statistics.median(netspec_ms)
            row = {'network': name, 'batch': batch, 'train': train, 'pytorch_ms': t,
                   'netspec_ms': n, 'ratio': n / t, 'dirty': flags.count(False),
                   'graph_s': graph, 'pytorch_samples': torch_ms, 'netspec_samples': netspec_ms}
            if not train:
                row['gflops'] = 2 * MACS[name] * batch / (n / 1000) / 1e9
                row['peak_share'] = row['gflops'] / peak
            results['cases'].append(row)
            print(f"{name} batch {batch} {'train' if train else 'inference'}: PyTorch "
                  f"{t:.1f} ms {[round(v, 1) for v in torch_ms]}, netspec {n:.1f} ms "
                  f"{[round(v, 1) for v in netspec_ms]}, ratio {n / t:.2f}"
                  + (f", {row['peak_share']:.0%} of peak" if not train else '')
                  + (f", {row['dirty']} dirty" if row['dirty'] else ''), flush=True)
    if args.memory or args.memory_only:
        torch_mb = torch_peak_memory_mb('densenet121', 32, True)
        torch_efficient_mb = torch_peak_memory_mb('densenet121', 32, True, True)
        netspec_mb = netspec_bench('densenet121', 32, True, 1, 1)[1]
        netspec_efficient_mb = netspec_bench('densenet121', 32, True, 1, 1,
                                             ['--memory-efficient'])[1]
        results['memory'] = {'pytorch_mb': torch_mb, 'pytorch_memory_efficient_mb':
                             torch_efficient_mb, 'netspec_mb': netspec_mb,
                             'netspec_memory_efficient_mb': netspec_efficient_mb}
        print(f'densenet121 training step, batch 32, peak resident memory: PyTorch '
              f'{torch_mb:.0f} MB (memory_efficient {torch_efficient_mb:.0f} MB), netspec '
              f'{netspec_mb:.0f} MB (--memory-efficient {netspec_efficient_mb:.0f} MB)',
              flush=True)
    if not args.memory_only:
        # the peak again: a busy machine at the start would understate it
        peak = max(peak, peak_gflops(canary, args.retries))
        results['peak_gflops'] = peak
        print(f'peak, best of start and end: {peak:.0f} GFLOP/s')
        for r in results['cases']:
            if 'gflops' in r:
                r['peak_share'] = r['gflops'] / peak
    print(f'load average at end {os.getloadavg()[0]:.1f}; dirty samples kept: {canary.dirty}')
    print()
    print('| network | batch | step | PyTorch ms | netspec ms | netspec/PyTorch | share of peak |')
    print('|---|---:|---|---:|---:|---:|---:|')
    for r in results['cases']:
        share = f"{r['peak_share']:.0%}" if 'peak_share' in r else ''
        print(f"| {r['network']} | {r['batch']} | {'train' if r['train'] else 'inference'} | "
              f"{r['pytorch_ms']:.1f} | {r['netspec_ms']:.1f} | {r['ratio']:.2f} | {share} |")
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(results, f, indent=1)


if __name__ == '__main__':
    main()
