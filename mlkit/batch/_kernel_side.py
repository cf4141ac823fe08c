"""Code that runs *inside* a warm kernel: take a baseline once, then reset to it between reports.

The batch engine imports this module in the kernel right after start-up (before the warm-up
imports), so the baseline is what a fresh kernel looks like. :func:`reset` then brings the kernel
back to that state between two aios, keeping only the imported modules (the point of a warm
kernel). Nothing here is used in the batch process itself.

What :func:`reset` restores: the user namespace, open figures, matplotlib's rcParams and style
registry, the working directory, ``sys.path``, ``os.environ``, builtins, warnings filters,
pandas options, the global random states of ``random`` and numpy, IPython's event hooks,
input and AST transformers and display formatters, import hooks (``sys.meta_path``,
``sys.path_hooks``), GC callbacks, trace and profile functions, signal handlers and interval
timers.

What it cannot undo safely, and therefore only *detects* (the engine then restarts the kernel):
a thread still running, and an attribute added, removed or rebound on a module or on a class
that existed at the baseline (``mlkit._x = ...``, ``pandas.DataFrame.x = ...``). A value put
into a cache (``functools.lru_cache``, mlkit's reference data) or an object mutated in place is
invisible to both; that is why templates other than the bundled ones get a fresh kernel per
report unless the batch is told to trust them.
"""

from __future__ import annotations

import builtins
import os
import sys
import threading
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any, cast

_baseline: dict[str, Any] = {}
_WATCHED_PACKAGES = ("mlkit", "pandas", "numpy", "matplotlib", "IPython", "builtins", "os", "sys")
_VOLATILE = frozenset(
    f"sys.{name}"
    for name in (
        "stdin", "stdout", "stderr", "displayhook", "excepthook",
        "last_type", "last_value", "last_traceback", "last_exc",
    )
)  # fmt: skip
"""Attributes the kernel itself rebinds around every execution."""
_UNWATCHED = frozenset({"__warningregistry__", "__slotnames__"})  # interpreter caches
_KERNEL_PACKAGES = frozenset({"zmq", "ipykernel", "jupyter_client", "tornado"})
"""Packages whose threads belong to the kernel (pyzmq starts its garbage collector lazily)."""
_PLAIN_VALUES = (str, bytes, int, float, bool, type(None))


def _shell() -> Any:
    from IPython import get_ipython

    return get_ipython()


def take_baseline() -> None:
    """Record the fresh kernel's namespace keys, working directory and ``sys.path``."""
    _baseline["ns_keys"] = frozenset(_shell().user_ns)
    _baseline["cwd"] = str(Path.cwd())
    _baseline["sys_path"] = list(sys.path)


def _watched(name: str) -> bool:
    return name.split(".", 1)[0] in _WATCHED_PACKAGES


def _bindings(namespace: Any) -> dict[str, Any]:
    """Return attribute name -> bound object (what a rebinding changes)."""
    return {k: v for k, v in list(vars(namespace).items()) if k not in _UNWATCHED}


def _same(before: Any, now: Any) -> bool:
    """Whether a binding is unchanged: the same object, or an equal plain value."""
    if before is now:
        return True
    return type(before) is type(now) and isinstance(now, _PLAIN_VALUES) and before == now


def _attribute_snapshot() -> dict[str, tuple[Any, dict[str, Any]]]:
    """Bindings of every watched module and of the classes defined in it."""
    snapshot: dict[str, tuple[Any, dict[str, Any]]] = {}
    for name, module in list(sys.modules.items()):
        if not isinstance(module, ModuleType) or not _watched(name):
            continue
        snapshot[name] = (module, _bindings(module))
        for attr, value in list(vars(module).items()):
            if isinstance(value, type) and value.__module__ == name:
                snapshot[f"{name}.{attr}"] = (value, _bindings(value))
    return snapshot


def _hooks() -> dict[str, Any]:
    shell = _shell()
    formatters = shell.display_formatter.formatters
    return {
        "events": {k: list(v) for k, v in shell.events.callbacks.items()},
        "input_transformers": list(shell.input_transformers_post),
        "cleanup_transforms": list(shell.input_transformer_manager.cleanup_transforms),
        "line_transforms": list(shell.input_transformer_manager.line_transforms),
        "ast_transformers": list(shell.ast_transformers),
        "formatters": {
            mime: (dict(f.type_printers), dict(f.deferred_printers), dict(f.singleton_printers))
            for mime, f in formatters.items()
        },
        "active_formatters": set(formatters),
    }


def finish_warmup() -> None:
    """Record the state after the warm-up (inline backend active); freeze the heap.

    ``gc.freeze()`` moves everything the warm-up imported out of the collector's sight, so the
    ``gc.collect()`` that ``%reset`` runs between reports costs milliseconds, not 0.2 s.
    """
    import gc
    import random

    if "matplotlib.pyplot" in sys.modules:  # resolve the backend now, not in the first report
        pyplot = sys.modules["matplotlib.pyplot"]
        pyplot.close(pyplot.figure())
    gc.collect()
    gc.freeze()
    if "matplotlib" in sys.modules:
        import matplotlib
        import matplotlib.style

        _baseline["rc"] = dict(matplotlib.rcParams)
        _baseline["style_library"] = dict(matplotlib.style.library)
        _baseline["style_available"] = list(matplotlib.style.available)
    if "numpy" in sys.modules:
        _baseline["np_random"] = sys.modules["numpy"].random.get_state()
    _baseline["random"] = random.getstate()
    _baseline["environ"] = dict(os.environ)
    _baseline["builtins"] = dict(vars(builtins))
    _baseline["warnings"] = (list(warnings.filters), warnings.showwarning)
    _baseline["hooks"] = _hooks()
    _baseline["threads"] = {t.ident for t in threading.enumerate()}
    _baseline["interpreter"] = _interpreter_hooks()
    _baseline["attributes"] = _attribute_snapshot()


def _restore_dict(target: dict[str, Any], saved: dict[str, Any]) -> None:
    for key in [k for k in target if k not in saved]:
        del target[key]
    for key, value in saved.items():
        if target.get(key, target) is not value:
            target[key] = value


def _interpreter_hooks() -> dict[str, Any]:
    """Import hooks, GC callbacks, trace and profile functions and signal handlers."""
    import gc
    import signal

    handlers = {}
    for number in signal.valid_signals():
        try:
            handlers[number] = signal.getsignal(number)
        except (OSError, ValueError):  # pragma: no cover - platform specific
            continue
    return {
        "meta_path": list(sys.meta_path),
        "path_hooks": list(sys.path_hooks),
        "gc_callbacks": list(gc.callbacks),
        "trace": sys.gettrace(),
        "profile": sys.getprofile(),
        "signals": handlers,
    }


def _restore_interpreter_hooks() -> None:
    import gc
    import signal

    saved = _baseline["interpreter"]
    sys.meta_path[:] = saved["meta_path"]
    sys.path_hooks[:] = saved["path_hooks"]
    gc.callbacks[:] = saved["gc_callbacks"]
    sys.settrace(saved["trace"])
    threading.settrace(saved["trace"])
    sys.setprofile(saved["profile"])
    threading.setprofile(saved["profile"])
    if hasattr(signal, "setitimer"):
        for timer in (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF):
            signal.setitimer(timer, 0)
    for number, handler in saved["signals"].items():
        if handler is not None and signal.getsignal(number) is not handler:
            try:
                signal.signal(number, handler)
            except (OSError, ValueError, TypeError):  # pragma: no cover - e.g. SIGKILL
                continue


def _restore_settings() -> None:
    import random

    if "rc" in _baseline:
        import matplotlib
        import matplotlib.style

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            matplotlib.rcParams.update(_baseline["rc"])
        _restore_dict(matplotlib.style.library, _baseline["style_library"])
        matplotlib.style.available[:] = _baseline["style_available"]
    if "pandas" in sys.modules:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sys.modules["pandas"].reset_option("all")
    if "np_random" in _baseline:
        sys.modules["numpy"].random.set_state(_baseline["np_random"])
    random.setstate(_baseline["random"])
    environ = _baseline["environ"]
    for key in [k for k in os.environ if k not in environ]:
        del os.environ[key]
    for key, value in environ.items():
        if os.environ.get(key) != value:
            os.environ[key] = value
    _restore_dict(vars(builtins), _baseline["builtins"])
    filters, showwarning = _baseline["warnings"]
    cast(list[Any], warnings.filters)[:] = filters
    warnings.showwarning = showwarning
    warnings._filters_mutated()  # type: ignore[attr-defined]  # drop cached "once" decisions


def _restore_hooks() -> None:
    shell = _shell()
    saved = _baseline["hooks"]
    for event, callbacks in saved["events"].items():
        shell.events.callbacks[event][:] = callbacks
    shell.input_transformers_post[:] = saved["input_transformers"]
    shell.input_transformer_manager.cleanup_transforms[:] = saved["cleanup_transforms"]
    shell.input_transformer_manager.line_transforms[:] = saved["line_transforms"]
    shell.ast_transformers[:] = saved["ast_transformers"]
    formatters = shell.display_formatter.formatters
    for mime in [m for m in formatters if m not in saved["active_formatters"]]:
        del formatters[mime]
    for mime, (types, deferred, singletons) in saved["formatters"].items():
        formatter = formatters[mime]
        _restore_dict(formatter.type_printers, types)
        _restore_dict(formatter.deferred_printers, deferred)
        _restore_dict(formatter.singleton_printers, singletons)


def _changed_attributes() -> list[str]:
    """Attributes added, removed or rebound on a watched module or class since the baseline.

    Not a change: a submodule bound on its parent package by a later import, and a global that
    was None being filled in (libraries memoise lazily that way: ``_pkg_dir = None``); the new
    value becomes the baseline, so a later rebinding is caught.
    """
    changed: list[str] = []
    missing = object()
    for name, (owner, before) in _baseline["attributes"].items():
        current = vars(owner)
        added = current.keys() - before.keys() - _UNWATCHED if len(current) != len(before) else ()
        for attr in [a for a, old in before.items() if current.get(a, missing) is not old]:
            old, new = before[attr], current.get(attr, missing)
            if _same(old, new) or f"{name}.{attr}" in _VOLATILE:
                continue
            if old is None and new is not missing:  # filled in lazily: the new baseline
                before[attr] = new
                continue
            changed.append(f"attribute {name}.{attr}")
        for attr in added:
            if isinstance(current[attr], ModuleType):  # a submodule imported later
                before[attr] = current[attr]
            else:
                changed.append(f"attribute {name}.{attr}")
    return sorted(changed)


def _new_threads() -> list[str]:
    """Threads started since the baseline and still running, except the kernel's own."""
    return [
        f"thread {t.name}"
        for t in threading.enumerate()
        if t.ident not in _baseline["threads"]
        and t.is_alive()
        and type(t).__module__.split(".")[0] not in _KERNEL_PACKAGES
    ]


def reset() -> list[str]:
    """Return the kernel to its baseline: empty namespace, no figures, settings restored.

    Returns:
        What a fresh kernel would not have and the reset could not undo: names left in the user
        namespace, threads still running, changed module or class attributes (empty when the
        reset worked; the engine restarts the kernel for anything else).
    """
    shell = _shell()
    shell.run_line_magic("reset", "-f")
    shell.execution_count = 1
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    os.chdir(_baseline["cwd"])
    sys.path[:] = _baseline["sys_path"]
    leftovers = sorted(set(shell.user_ns) - _baseline["ns_keys"])
    if "environ" in _baseline:  # after the warm-up; the reset inside start() comes first
        _restore_settings()
        _restore_hooks()
        _restore_interpreter_hooks()
        leftovers += _new_threads() + _changed_attributes()
    return leftovers
