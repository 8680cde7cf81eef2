"""What netspec's annotation processor costs javac.

Run after `mvn -B -q package -DskipTests -pl examples -am`:

    python3 reference/compile_cost.py

1. The whole zoo (examples/.../zoo/*.java) through javac with the processor, `-proc:only`,
   against javac without any processor on the same sources: the difference is the processor.
2. Linearity: DenseNet-121's spec with its dense blocks repeated 1x, 2x and 4x (see
   scaled_densenet), processed alone; the processor's time per stage should stay flat.
Each timing is the best of --repeat runs of a fresh javac (JVM start included, the same in
every row).
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZOO = os.path.join(ROOT, 'examples', 'src', 'main', 'java', 'dev', 'netspec', 'examples', 'zoo')
M2 = os.path.expanduser('~/.m2/repository')


def classpath():
    lib = sorted(glob.glob(os.path.join(ROOT, 'examples', 'target', 'lib', '*.jar')))
    return os.pathsep.join(lib)


def processor_path():
    jars = [os.path.join(ROOT, 'dsl-processor', 'target', 'dsl-processor-0.1.0-SNAPSHOT.jar'),
            os.path.join(ROOT, 'dsl-annotations', 'target', 'dsl-annotations-0.1.0-SNAPSHOT.jar')]
    jars += glob.glob(os.path.join(M2, 'com', 'palantir', 'javapoet', 'javapoet', '*', '*.jar'))
    return os.pathsep.join(jars)


def javac_seconds(sources, processor, repeat):
    best = float('inf')
    for _ in range(repeat):
        out = tempfile.mkdtemp()
        command = ['javac', '-proc:only' if processor else '-proc:none', '-d', out, '-s', out,
                   '-cp', classpath()]
        if processor:
            command += ['-processorpath', processor_path()]
        command += sources
        t = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        best = min(best, time.perf_counter() - t)
        shutil.rmtree(out)
        if done.returncode != 0:
            raise RuntimeError(' '.join(command) + '\n' + done.stdout + done.stderr)
    return best


DENSENET = '''package bench;

import dev.netspec.annotations.*;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

@Network(name = "Scaled{copies}", input = @Input(channels = 3, height = 224, width = 224))
public interface Scaled{copies}Spec {{
  @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv0();
  @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> pool0();
{stages}
  @BatchNorm(act = Act.RELU) Operand<TFloat32> norm5();
  @Classifier(classes = 1000) Operand<TFloat32> classifier();
}}
'''


def scaled_densenet(directory, copies):
    """DenseNet-121's spec with its four dense blocks repeated: the first copy is the original
    (blocks and transitions, down to 7x7); each further copy adds the four blocks again, each
    after a 1x1 @Conv back to 256 channels, so every copy adds the same eight stages."""
    stages, index = [], 0
    for copy in range(copies):
        for block, layers in enumerate((6, 12, 24, 16)):
            index += 1
            if copy:
                stages.append(f'  @Conv(channels = 256, kernel = 1) Operand<TFloat32> squeeze{index}();')
            stages.append(f'  @DenseBlock(growth = 32, layers = {layers}) '
                          f'Operand<TFloat32> denseblock{index}();')
            if copy == 0 and block < 3:
                stages.append(f'  @Transition(compression = 0.5) Operand<TFloat32> transition{index}();')
    path = os.path.join(directory, f'Scaled{copies}Spec.java')
    with open(path, 'w') as f:
        f.write(DENSENET.format(copies=copies, stages='\n'.join(stages)))
    return path, len(stages) + 4


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--copies', default='1,2,4,16,64',
                        help='how many times the scaled spec repeats DenseNet-121\'s dense blocks')
    args = parser.parse_args()
    # the files that declare networks: the others name generated classes, which -proc:none
    # never writes
    zoo = sorted(p for p in glob.glob(os.path.join(ZOO, '*.java')) if '@Network(' in open(p).read())
    specs = sum(len(re.findall(r'@Network\(', open(s).read())) for s in zoo)
    plain = javac_seconds(zoo, False, args.repeat)
    processed = javac_seconds(zoo, True, args.repeat)
    print(f'zoo: {len(zoo)} files, {specs} networks; javac -proc:none {plain:.2f} s, with the '
          f'processor -proc:only {processed:.2f} s: processor {processed - plain:.2f} s, '
          f'{(processed - plain) / specs * 1000:.0f} ms per network')
    directory = tempfile.mkdtemp()
    try:
        base = None
        for copies in (int(c) for c in args.copies.split(',')):
            path, stages = scaled_densenet(directory, copies)
            seconds = javac_seconds([path], True, args.repeat)
            none = javac_seconds([path], False, args.repeat)
            extra = seconds - none
            base = base or extra
            print(f'DenseNet-121 stages x{copies}: {stages} stages, processor {extra * 1000:.0f} ms '
                  f'({extra / base:.2f}x of x1), {extra / stages * 1000:.1f} ms per stage')
    finally:
        shutil.rmtree(directory)


if __name__ == '__main__':
    main()
