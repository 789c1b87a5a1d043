"""Minimal safetensors reader/writer (NumPy only) for the reference tools.

File layout: 8-byte little-endian header length N, then N bytes of JSON
  {"__metadata__": {str: str}, "<name>": {"dtype": "F32"|"F16"|"BF16"|..., "shape": [...],
   "data_offsets": [begin, end]}, ...}
padded with spaces to a multiple of 8, then the tensor data; offsets are relative to the end of the
header, contiguous from 0 without holes or overlaps, in the order the tensors are written.

BF16 is stored as the upper 16 bits of the float32 pattern, rounded to nearest even (NaN -> quiet NaN).
Sharded checkpoints: files `model-XXXXX-of-YYYYY.safetensors` (0-based, as in the MiniMax-M1 release)
plus `model.safetensors.index.json` {"metadata": {"total_size": bytes of tensor data}, "weight_map":
{name: file}}.
"""
import json
import os
import struct

import _env  # noqa: F401  (makes numpy importable)
import numpy as np

MAX_HEADER = 100 * 1000 * 1000

# dtype name -> (numpy storage dtype, element size)
_STORAGE = {
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "BF16": np.dtype("<u2"),
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "I16": np.dtype("<i2"),
    "I8": np.dtype("i1"),
    "U8": np.dtype("u1"),
    "BOOL": np.dtype("u1"),
}


def f32_to_bf16_bits(x):
    """float32 array -> uint16 bf16 bit patterns, round-to-nearest-even; NaN -> 0x7FC0 (sign kept)."""
    x = np.ascontiguousarray(np.asarray(x, dtype=np.float32))
    u = x.view(np.uint32).astype(np.uint64)
    rounded = (u + 0x7FFF + ((u >> 16) & 1)) >> 16
    nan = np.isnan(x)
    if nan.any():
        rounded = np.where(nan, ((u >> 16) & 0x8000) | 0x7FC0, rounded)
    return rounded.astype(np.uint16)


def bf16_bits_to_f32(bits):
    """uint16 bf16 bit patterns -> float32 (exact)."""
    bits = np.asarray(bits, dtype=np.uint16)
    return (bits.astype(np.uint32) << 16).view(np.float32)


def round_to_dtype(x, dtype):
    """The float64 values a float array takes after being stored as `dtype` (F32/F16/BF16/F64)."""
    x = np.asarray(x)
    if dtype == "F64":
        return x.astype(np.float64)
    if dtype == "F32":
        return x.astype(np.float32).astype(np.float64)
    if dtype == "F16":
        return x.astype(np.float16).astype(np.float64)
    if dtype == "BF16":
        return bf16_bits_to_f32(f32_to_bf16_bits(x)).astype(np.float64)
    raise ValueError("unsupported float dtype %r" % dtype)


def _encode(array, dtype):
    if dtype == "BF16":
        return f32_to_bf16_bits(array).tobytes()
    if dtype not in _STORAGE:
        raise ValueError("unsupported dtype %r" % dtype)
    return np.ascontiguousarray(np.asarray(array).astype(_STORAGE[dtype])).tobytes()


def tensor_nbytes(shape, dtype):
    n = _STORAGE[dtype].itemsize
    for d in shape:
        n *= int(d)
    return n


def write_file(path, tensors, metadata=None):
    """Write one safetensors file.

    tensors: list of (name, array, dtype) in file order; dtype one of F32/F16/BF16/F64/I32/...
    metadata: dict str->str stored as __metadata__ (default {"format": "pt"}).
    Returns the number of tensor data bytes written.
    """
    header = {"__metadata__": dict(metadata) if metadata is not None else {"format": "pt"}}
    blobs = []
    offset = 0
    for name, array, dtype in tensors:
        if name in header:
            raise ValueError("duplicate tensor name %r" % name)
        blob = _encode(array, dtype)
        shape = [int(d) for d in np.shape(array)]
        assert len(blob) == tensor_nbytes(shape, dtype)
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((8 - len(hjson) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)))
        f.write(hjson)
        for blob in blobs:
            f.write(blob)
    os.replace(tmp, path)
    return offset


def read_header(path):
    """-> (header dict without __metadata__, metadata dict, data start offset). Validates the layout."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        raw = f.read(8)
        if len(raw) != 8:
            raise ValueError("%s: shorter than 8 bytes" % path)
        (n,) = struct.unpack("<Q", raw)
        if n > MAX_HEADER or 8 + n > size:
            raise ValueError("%s: header length %d out of range (file %d bytes)" % (path, n, size))
        header = json.loads(f.read(n).decode("utf-8"))
    if not isinstance(header, dict):
        raise ValueError("%s: header is not a JSON object" % path)
    metadata = header.pop("__metadata__", {}) or {}
    spans = []
    for name, info in header.items():
        dtype = info.get("dtype")
        if dtype not in _STORAGE:
            raise ValueError("%s: tensor %s: unsupported dtype %r" % (path, name, dtype))
        begin, end = info["data_offsets"]
        if end - begin != tensor_nbytes(info["shape"], dtype):
            raise ValueError("%s: tensor %s: %d bytes for shape %s %s"
                             % (path, name, end - begin, info["shape"], dtype))
        spans.append((begin, end, name))
    spans.sort()
    pos = 0
    for begin, end, name in spans:
        if begin != pos:
            raise ValueError("%s: tensor %s starts at %d, expected %d (hole or overlap)"
                             % (path, name, begin, pos))
        pos = end
    if 8 + n + pos != size:
        raise ValueError("%s: data ends at %d but the file has %d bytes" % (path, 8 + n + pos, size))
    return header, metadata, 8 + n


def read_file(path, as_float64=True):
    """-> (dict name -> array, dict name -> dtype string, metadata).

    Float tensors are returned as float64 when as_float64 (BF16 decoded exactly), otherwise as stored
    (BF16 as float32)."""
    header, metadata, start = read_header(path)
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read()
    arrays, dtypes = {}, {}
    for name, info in header.items():
        dtype = info["dtype"]
        begin, end = info["data_offsets"]
        a = np.frombuffer(data[begin:end], dtype=_STORAGE[dtype]).reshape(info["shape"])
        if dtype == "BF16":
            a = bf16_bits_to_f32(a)
        if as_float64 and dtype in ("F64", "F32", "F16", "BF16"):
            a = a.astype(np.float64)
        else:
            a = a.copy()
        arrays[name] = a
        dtypes[name] = dtype
    return arrays, dtypes, metadata


def shard_name(i, n):
    return "model-%05d-of-%05d.safetensors" % (i, n)


def write_sharded(directory, shards, metadata=None):
    """Write shards (a list of tensor lists, each as for write_file) and model.safetensors.index.json.

    Files are named model-00000-of-0000N.safetensors ... (0-based, as in the release)."""
    n = len(shards)
    weight_map = {}
    total = 0
    for i, tensors in enumerate(shards):
        name = shard_name(i, n)
        total += write_file(os.path.join(directory, name), tensors, metadata)
        for tname, _, _ in tensors:
            weight_map[tname] = name
    index = {"metadata": {"total_size": total}, "weight_map": weight_map}
    with open(os.path.join(directory, "model.safetensors.index.json"), "w", encoding="utf-8") as f:
        json.dump(index, f, indent=2)
        f.write("\n")
    return total


def load_checkpoint(directory, as_float64=True):
    """Read every tensor of a checkpoint directory: model.safetensors.index.json if present (checking
    that each tensor is in the file the index names), else every *.safetensors file in it.
    -> (dict name -> array, dict name -> dtype)."""
    index_path = os.path.join(directory, "model.safetensors.index.json")
    if os.path.exists(index_path):
        with open(index_path, encoding="utf-8") as f:
            weight_map = json.load(f)["weight_map"]
        files = sorted(set(weight_map.values()))
    else:
        weight_map = None
        files = sorted(p for p in os.listdir(directory) if p.endswith(".safetensors"))
        if not files:
            raise FileNotFoundError("%s: no *.safetensors files" % directory)
    arrays, dtypes = {}, {}
    for fname in files:
        a, d, _ = read_file(os.path.join(directory, fname), as_float64)
        for name in a:
            if name in arrays:
                raise ValueError("%s: tensor %s appears in two files" % (directory, name))
            if weight_map is not None and weight_map.get(name) != fname:
                raise ValueError("%s: tensor %s is in %s but the index says %s"
                                 % (directory, name, fname, weight_map.get(name)))
        arrays.update(a)
        dtypes.update(d)
    if weight_map is not None:
        missing = sorted(set(weight_map) - set(arrays))
        if missing:
            raise ValueError("%s: index names tensors not found in the shards: %s" % (directory, missing[:5]))
    return arrays, dtypes
