"""A netspec ResNet checkpoint as the state dict torchvision's ResNet of the same shape has.

    python3 reference/checkpoint_to_torchvision.py runs/<run>/best.safetensors resnet.safetensors

netspec keeps convolution weights HWIO and linear weights [in, out], and names the stem
`conv1.conv` and `conv1.bn`; torchvision keeps them OIHW and [out, in] and names the stem `conv1`
and `bn1`. The optimizer's state (`optimizer.*`) is left out. Needs numpy only: the file is
read and written in the safetensors format (an 8-byte little-endian header length, a JSON header,
the tensors' bytes), float32 throughout as netspec writes it.
"""
import json
import re
import struct
import sys

import numpy as np

STEM = [(re.compile(r'conv1\.conv\.(.+)'), r'conv1.\1'), (re.compile(r'conv1\.bn\.(.+)'), r'bn1.\1')]


def read_safetensors(path):
    with open(path, 'rb') as f:
        size = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    header.pop('__metadata__', None)
    tensors = {}
    for name, info in sorted(header.items(), key=lambda e: e[1]['data_offsets'][0]):
        if info['dtype'] != 'F32':
            raise SystemExit(f'{path}: {name} is {info["dtype"]}, not F32')
        begin, end = info['data_offsets']
        tensors[name] = np.frombuffer(data[begin:end], '<f4').reshape(info['shape'])
    return tensors


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, '<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(array.shape),
                        'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


def torchvision_name(name):
    for pattern, replacement in STEM:
        if pattern.fullmatch(name):
            return pattern.sub(replacement, name)
    return name


def torch_layout(array):
    if array.ndim == 4:
        return array.transpose(3, 2, 0, 1)  # HWIO -> OIHW
    if array.ndim == 2:
        return array.T  # [in, out] -> [out, in]
    return array


def main(argv):
    if len(argv) != 3:
        raise SystemExit(__doc__)
    weights = {torchvision_name(name): torch_layout(array)
               for name, array in read_safetensors(argv[1]).items()
               if not name.startswith('optimizer.')}
    write_safetensors(argv[2], weights)
    print(f'{argv[2]}: {len(weights)} tensors in torchvision\'s names and layout')


if __name__ == '__main__':
    main(sys.argv)
