"""netspec against PyTorch and ONNX Runtime on this CPU, side by side.

Run with Debian's PyTorch, after `mvn -B -q package -DskipTests -pl examples -am`:

    /usr/bin/python3 reference/side_by_side.py                 # every case of BENCHMARKS.md
    /usr/bin/python3 reference/side_by_side.py --cases resnet50:8 --samples 5
    /usr/bin/python3 reference/side_by_side.py --cases new     # mobilenet_v2 … densenet121_sk
    /usr/bin/python3 reference/side_by_side.py --memory-only   # densenet121 training, batch 32

Inference is timed five ways, each in a process of its own: PyTorch; netspec's TensorFlow engine
(`netspec bench --engine tensorflow`); netspec's default engine (`--engine auto`, which runs the
faster of the two engines for the network, batch and CPU, and says which); netspec's ONNX Runtime
engine (`--engine onnxruntime`); and ONNX Runtime's Java API on the same torchvision graph
exported by PyTorch (`torch.onnx.export`, opset 17, run by `netspec bench --engine onnxruntime
--onnx <file>`: there is no onnxruntime for Python here). Training is timed on PyTorch and on
netspec's TensorFlow engine.

Every side uses 2 threads. The sides alternate within each sample, and each sample starts one
side further on than the last (PyTorch first, then the TensorFlow engine first, ...), because this
machine's speed drifts: its two vCPUs are sometimes not scheduled together for 10-20 s, which slows a
2-thread convolution about 3x. A short canary convolution is timed before and after every
sample; a sample whose canaries are more than --tolerance slower than the best canary seen is
dirty and taken again (up to --retries times, then kept and counted as dirty).

The machine's peak is measured the same way as the networks: a 4096x4096x4096 matrix product
run as a 1x1 convolution in PyTorch. Each case prints the medians, netspec/PyTorch and, for
inference, the GMAC/s of netspec's faster engine as a share of that peak. A markdown table comes
last, with the CPU's family, model and the flags that decide its kernels.
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
import tempfile
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
                 'dpn92:8', 'mobilenet_v2:1', 'mobilenet_v2:8', 'densenet_bc_100:64:train',
                 'resnet50:8:train']
# The networks of user blocks, and the hybrids: --cases new
NEW_CASES = [f'{name}:{batch}' for name in ('mobilenet_v2', 'mobilenet_v3_large',
                                            'efficientnet_b0', 'convnext_tiny', 'regnet_y_400mf',
                                            'dpn68', 'densenet121_sk') for batch in (1, 8)]
SIDES = {'densenet_bc_100': 32}
CLASSES = {'densenet_bc_100': 10}
# Forward multiply-accumulates per image, as the zoo's @Expect states them (PyTorch's count).
MACS = {'resnet50': 4_089_184_256, 'densenet121': 2_834_161_664, 'dpn92': 6_501_684_224,
        'densenet_bc_100': 287_929_692, 'mobilenet_v2': 300_774_272,
        'mobilenet_v3_large': 216_589_760, 'efficientnet_b0': 385_814_752,
        'convnext_tiny': 4_455_531_264, 'regnet_y_400mf': 401_842_848,
        'dpn68': 2_326_163_456, 'densenet121_sk': 4_076_965_376}


# ------------------------------------------------------------------------------------------------
# PyTorch models

TORCHVISION = ('resnet50', 'mobilenet_v2', 'mobilenet_v3_large', 'efficientnet_b0',
               'convnext_tiny', 'regnet_y_400mf')


def torch_model(name, memory_efficient=False):
    """torchvision's networks by their names (ResNet-50, DenseNet-121 and the networks of user
    blocks); timm's DPNs, DenseNet-BC-100 and the selective-kernel DenseNet from the repository's
    reference definitions (the layouts the parity tests check)."""
    if name in TORCHVISION:
        return getattr(torchvision.models, name)()
    if name == 'densenet121':
        return torchvision.models.densenet121(memory_efficient=memory_efficient)
    sys.path.insert(0, HERE)
    if name in ('dpn68', 'dpn92'):
        import timm_layouts
        return getattr(timm_layouts, name)()
    if name == 'densenet_bc_100':
        import parity_reference
        return parity_reference.densenet_bc_100()
    if name == 'densenet121_sk':
        import sk_densenet
        return sk_densenet.densenet121_sk()
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


def torch_onnx(name, folder):
    """PyTorch's own ONNX export of the network PyTorch times: opset 17, dynamic batch, NCHW."""
    path = os.path.join(folder, name + '.onnx')
    if not os.path.exists(path):
        model = torch_model(name).eval()
        side = SIDES.get(name, 224)
        with torch.no_grad():
            torch.onnx.export(model, torch.randn(1, 3, side, side), path, opset_version=17,
                              input_names=['input'], output_names=['logits'],
                              dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}})
    return path


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
    # one engine ends with median_ms=, both with median_ms_tensorflow= and median_ms_onnxruntime=
    medians = {m.group(1) or 'tensorflow': float(m.group(2))
               for m in re.finditer(r'median_ms(?:_(\w+))?=([0-9.]+)', out.stdout)}
    median = medians if len(medians) > 1 else next(iter(medians.values()))
    peak = re.search(r'peak resident memory: ([0-9.]+) MB', out.stdout)
    graph = re.search(r'graph ([0-9.]+) s', out.stdout)
    return (median, float(peak.group(1)) if peak else None,
            float(graph.group(1)) if graph else None, out.stdout)


def netspec_engine(name, batch, warmup, runs, engine):
    """netspec's inference on one engine, alone in its process: (median, engine that ran)."""
    median, _, _, stdout = netspec_bench(name, batch, False, warmup, runs, ['--engine', engine])
    ran = re.search(r'^auto ran (\w+):', stdout, re.MULTILINE)
    return median, ran.group(1) if ran else engine


def onnxruntime_on_torch_graph(name, batch, warmup, runs, onnx):
    """ONNX Runtime's Java API on PyTorch's export of the same network."""
    return netspec_bench(name, batch, False, warmup, runs,
                         ['--engine', 'onnxruntime', '--onnx', onnx, '--onnx-layout', 'nchw'])[0]


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


# The flags that decide which kernels PyTorch's, TensorFlow's and ONNX Runtime's convolutions use.
KERNEL_FLAGS = ['avx2', 'fma', 'avx512f', 'avx512_vnni', 'avx512_bf16', 'avx512_fp16', 'avx_vnni',
                'amx_tile', 'amx_bf16', 'amx_int8']


def cpu_fields():
    """The first processor's fields of /proc/cpuinfo."""
    fields = {}
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if not line.strip():
                    break
                key, _, value = line.partition(':')
                fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    return fields


def cpu_line():
    """`model name (family F, model M), flags: ...`: what a table's numbers hold for."""
    fields = cpu_fields()
    flags = set(fields.get('flags', '').split())
    return (f"{fields.get('model name', 'unknown CPU')} (family {fields.get('cpu family', '?')}, "
            f"model {fields.get('model', '?')}), flags: "
            + (' '.join(f for f in KERNEL_FLAGS if f in flags) or 'none of ' + ' '.join(KERNEL_FLAGS)))


def machine_line():
    java = subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()
    return (f'{cpu_line()}; {os.cpu_count()} vCPUs, load average {os.getloadavg()[0]:.1f} at '
            f'start; PyTorch {torch.__version__}, torchvision {torchvision.__version__}, '
            f'Python {platform.python_version()}, {java[0] if java else "java ?"}')


def time_case(name, batch, train, args, canary, peak, onnx_dir):
    """One case's samples, the sides alternated: PyTorch, then netspec's engines each in a process
    of its own, and for inference ONNX Runtime on PyTorch's graph."""
    step = torch_step(name, batch, train)
    warmup, runs = (args.train_warmup, args.train_runs) if train else (args.warmup, args.runs)
    onnx = None if train else torch_onnx(name, onnx_dir)
    sides = ['pytorch', 'tensorflow'] + ([] if train else
                                         ['auto', 'onnxruntime', 'onnxruntime_torch_graph'])
    samples = {side: [] for side in sides}
    flags, graph, auto_ran = [], None, set()

    def measure(side):
        nonlocal graph
        if side == 'pytorch':
            return time_torch(step, warmup, runs)
        if side == 'tensorflow' and train:
            median, _, graph, _ = netspec_bench(name, batch, train, warmup, runs)
            return median
        if side == 'onnxruntime_torch_graph':
            return onnxruntime_on_torch_graph(name, batch, warmup, runs, onnx)
        median, ran = netspec_engine(name, batch, warmup, runs, side)
        if side == 'auto':
            auto_ran.add(ran)
        return median

    for k in range(args.samples):
        # each sample starts one side further on, so that no side always follows the same one
        for side in sides[k % len(sides):] + sides[:k % len(sides)]:
            value, ok = canary.sample(lambda: measure(side), args.retries)
            samples[side].append(value)
            flags.append(ok)
    medians = {side: statistics.median(v) for side, v in samples.items() if v}
    t, n = medians['pytorch'], medians['tensorflow']
    row = {'network': name, 'batch': batch, 'train': train, 'pytorch_ms': t, 'netspec_ms': n,
           'ratio': n / t, 'dirty': flags.count(False), 'graph_s': graph,
           'samples': samples}
    if not train:
        row.update({'auto_ms': medians['auto'], 'auto_ran': '/'.join(sorted(auto_ran)),
                    'onnxruntime_ms': medians['onnxruntime'],
                    'onnxruntime_torch_graph_ms': medians['onnxruntime_torch_graph']})
        row['auto_ratio'] = medians['auto'] / medians['onnxruntime_torch_graph']
        best = min(n, medians['onnxruntime'], medians['auto'])
        row['gflops'] = 2 * MACS[name] * batch / (best / 1000) / 1e9
        row['peak_share'] = row['gflops'] / peak
    rounded = {side: [round(v, 1) for v in values] for side, values in samples.items()}
    print(f"{name} batch {batch} {'train' if train else 'inference'}: PyTorch "
          f"{t:.1f} ms {rounded['pytorch']}, netspec TensorFlow {n:.1f} ms "
          f"{rounded['tensorflow']}, ratio {n / t:.2f}"
          + ('' if train else
             f", netspec auto {medians['auto']:.1f} ms {rounded['auto']} ({row['auto_ran']}), "
             f"netspec ONNX Runtime {medians['onnxruntime']:.1f} ms {rounded['onnxruntime']}, "
             f"ONNX Runtime on PyTorch's graph {medians['onnxruntime_torch_graph']:.1f} ms "
             f"{rounded['onnxruntime_torch_graph']}, auto/that {row['auto_ratio']:.2f}, "
             f"{row['peak_share']:.0%} of peak")
          + (f", {row['dirty']} dirty" if row['dirty'] else ''), flush=True)
    return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--cases', nargs='*', default=DEFAULT_CASES,
                        help='network:batch[:train], e.g. resnet50:8 densenet_bc_100:64:train; '
                        '"new" for the networks of user blocks and the hybrids at batch 1 and 8')
    parser.add_argument('--samples', type=int, default=3, help='rounds of every side per case')
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--runs', type=int, default=5, help='timed runs inside one sample')
    parser.add_argument('--train-warmup', type=int,
                        help='--warmup for the training steps (default: --warmup)')
    parser.add_argument('--train-runs', type=int,
                        help='--runs for the training steps (default: --runs)')
    parser.add_argument('--retries', type=int, default=2, help='retakes of a dirty sample')
    parser.add_argument('--tolerance', type=float, default=1.35,
                        help='a canary this much slower than the best seen marks a sample dirty')
    parser.add_argument('--memory', action='store_true',
                        help='also peak memory of a densenet121 training step at batch 32')
    parser.add_argument('--memory-only', action='store_true')
    parser.add_argument('--json', help='write the results here too')
    args = parser.parse_args(argv)
    args.train_warmup = args.warmup if args.train_warmup is None else args.train_warmup
    args.train_runs = args.runs if args.train_runs is None else args.train_runs
    if not os.path.exists(JAR):
        sys.exit(f'{JAR} is missing: mvn -B -q package -DskipTests -pl examples -am')
    torch.set_num_threads(THREADS)
    print(machine_line(), flush=True)
    canary = Canary(args.tolerance)
    print(f'canary (3x3 conv, 64 channels, 56x56): best {canary.best:.2f} ms', flush=True)
    results = {'machine': machine_line(), 'cases': [], 'memory': None}
    onnx_dir = tempfile.mkdtemp(prefix='side_by_side_onnx_')
    if not args.memory_only:
        peak = peak_gflops(canary, args.retries)
        results['peak_gflops'] = peak
        print(f'peak: 4096^3 matrix product as a 1x1 convolution, {peak:.0f} GFLOP/s', flush=True)
        cases = [c for text in args.cases for c in (NEW_CASES if text == 'new' else [text])]
        for text in cases:
            name, batch, train = parse_case(text)
            results['cases'].append(time_case(name, batch, train, args, canary, peak, onnx_dir))
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
    print(f'CPU: {cpu_line()}')
    print()
    print('| network | batch | step | PyTorch ms | netspec TensorFlow ms | netspec default (auto) '
          'ms, engine | netspec ONNX Runtime ms | ONNX Runtime, PyTorch\'s graph, ms '
          '| TensorFlow / PyTorch | default / ONNX Runtime on PyTorch\'s graph | share of peak |')
    print('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    for r in results['cases']:
        inference = 'auto_ms' in r
        share = f"{r['peak_share']:.0%}" if inference else ''
        auto = f"{r['auto_ms']:.1f}, {r['auto_ran']}" if inference else ''
        ort = f"{r['onnxruntime_ms']:.1f}" if inference else ''
        torch_graph = f"{r['onnxruntime_torch_graph_ms']:.1f}" if inference else ''
        auto_ratio = f"{r['auto_ratio']:.2f}" if inference else ''
        print(f"| {r['network']} | {r['batch']} | {'train' if r['train'] else 'inference'} | "
              f"{r['pytorch_ms']:.1f} | {r['netspec_ms']:.1f} | {auto} | {ort} | {torch_graph} | "
              f"{r['ratio']:.2f} | {auto_ratio} | {share} |")
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(results, f, indent=1)


if __name__ == '__main__':
    main()
