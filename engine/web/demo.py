"""The bundled examples' OPDs, for the demo accounts of `sakip web --demo`."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout (engine/web/ -> the repository)


def example_folder() -> Path | None:
    for folder in (Path.cwd() / "examples", ROOT / "examples"):
        if folder.is_dir():
            return folder
    return None


def example_opds() -> list[tuple[str, str]]:
    """(file stem, profil.opd) of each bundled YAML example, one per OPD, by file name."""
    import yaml

    from sakip_checker.inputs import YamlLoader

    folder = example_folder()
    if folder is None:
        return []
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=YamlLoader)
        except (OSError, yaml.YAMLError):
            continue
        opd = data.get("profil", {}).get("opd") if isinstance(data, dict) else None
        if isinstance(opd, str) and opd.strip() and opd not in seen:
            seen.add(opd)
            out.append((path.stem, " ".join(opd.split())))
    return out
