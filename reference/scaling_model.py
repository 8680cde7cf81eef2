"""Synchronous data-parallel training on paper: bytes exchanged per step and step times on many
workers, computed from a measured single-worker step and each network's parameter count.

    python3 reference/scaling_model.py                # the table of docs/scaling.md
    python3 reference/scaling_model.py --step resnet50=1012.7@8 --workers 8 64 --gbps 10 100

The model (docs/scaling.md, "Training on many machines, on paper"):
- Each step every worker pushes its gradients (4 bytes per trainable parameter) to the parameter
  servers and, once the chief has applied their average, pulls the new weights (4 bytes per
  parameter): 8 bytes per parameter per worker per step, in two phases one after the other.
- The parameter servers hold the variables in `ps` shards. Each shard's link carries its share of
  every worker's push, then of every worker's pull; each worker's link its own push and pull.
  Links are full duplex; the slower of the two links sets each phase's time.
- Nothing overlaps: netspec computes all gradients before it pushes (no bucketing), and the next
  step starts after the pull. Step time = measured single-worker step + push + pull, plus a
  round trip per phase (taken as 0.1 ms on a LAN).
- For comparison, a ring all-reduce moves 2 (N - 1) / N times the gradients per worker link.
"""
import argparse

# Trainable parameters, as `netspec summary <network>` counts them (the zoo's @Expect).
PARAMETERS = {'resnet8': 306_946, 'resnet50': 25_557_032, 'densenet121': 7_978_856,
              'densenet_bc_100': 769_162, 'dpn92': 37_668_392, 'mobilenet_v2': 3_504_872,
              'efficientnet_b0': 5_288_548, 'convnext_tiny': 28_589_128,
              'regnet_y_400mf': 4_344_144}
# Measured single-worker training steps: (ms, batch per worker). Intel Xeon family 6 model 207,
# 2 vCPUs, quiet (BENCHMARKS.md); replace them with --step on another machine.
STEPS = {'resnet50': (964.5, 8), 'densenet_bc_100': (1832.5, 64)}
ROUND_TRIP_S = 1e-4


def step_seconds(parameters, compute_s, workers, ps, gbps):
    link = gbps * 1e9 / 8  # bytes per second, each direction
    phase_bytes = 4 * parameters
    worker_link = phase_bytes / link
    ps_link = workers * phase_bytes / ps / link
    phase = max(worker_link, ps_link) + ROUND_TRIP_S
    return compute_s + 2 * phase


def ring_seconds(parameters, compute_s, workers, gbps):
    link = gbps * 1e9 / 8
    return compute_s + 2 * (workers - 1) / workers * 4 * parameters / link + ROUND_TRIP_S


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--step', nargs='*', default=[],
                        help='network=ms@batch, a measured single-worker training step')
    parser.add_argument('--workers', nargs='*', type=int, default=[8, 64])
    parser.add_argument('--gbps', nargs='*', type=float, default=[10, 100])
    args = parser.parse_args(argv)
    steps = dict(STEPS)
    for text in args.step:
        name, rest = text.split('=')
        ms, batch = rest.split('@')
        steps[name] = (float(ms), int(batch))

    print('| network | parameters | MB per worker per step (push + pull) |')
    print('|---|---:|---:|')
    for name, p in PARAMETERS.items():
        print(f'| {name} | {p:,} | {8 * p / 1e6:.1f} |')
    print()
    print('| network | batch per worker | measured step, 1 worker | workers | network Gb/s '
          '| step, 1 PS | step, a PS per worker | step, ring all-reduce '
          '| images/s, a PS per worker | efficiency, a PS per worker |')
    print('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    for name, (ms, batch) in steps.items():
        p = PARAMETERS[name]
        compute = ms / 1000
        for n in args.workers:
            for gbps in args.gbps:
                one = step_seconds(p, compute, n, 1, gbps)
                spread = step_seconds(p, compute, n, n, gbps)
                ring = ring_seconds(p, compute, n, gbps)
                print(f'| {name} | {batch} | {ms:.0f} ms | {n} | {gbps:g} | {one * 1000:.0f} ms '
                      f'| {spread * 1000:.0f} ms | {ring * 1000:.0f} ms '
                      f'| {n * batch / spread:.0f} | {compute / spread:.0%} |')
    print()
    print('| network | network Gb/s | push + pull, a PS per worker | shortest step that keeps 90% '
          'efficiency |')
    print('|---|---:|---:|---:|')
    for name, p in PARAMETERS.items():
        for gbps in args.gbps:
            communication = step_seconds(p, 0, 8, 8, gbps)
            print(f'| {name} | {gbps:g} | {communication * 1000:.1f} ms '
                  f'| {9 * communication * 1000:.0f} ms |')


if __name__ == '__main__':
    main()
