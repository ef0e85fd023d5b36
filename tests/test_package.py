"""The distribution: one import package (sakip_checker) that carries its rule packs and templates, and no
module that still imports the folders' own names (engine, checks, reports), which a shared site-packages
would not have. CI also builds the wheel, installs it outside the checkout and runs every command there."""

import ast
import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OLD_NAMES = {"engine", "checks", "reports"}


def _python_files():
    for folder in ("engine", "checks", "reports", "tests", "bench", "rules"):
        yield from sorted((ROOT / folder).rglob("*.py"))


def test_no_module_imports_a_generic_top_level_name():
    offenders = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}:{node.lineno} {n}" for n in names if n.split(".")[0] in OLD_NAMES]
    assert offenders == []


def test_the_wheel_carries_every_rule_pack_file_and_template():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    dirs = {pkg: ROOT / folder for pkg, folder in config["package-dir"].items()}
    assert set(dirs) <= set(config["packages"])
    assert all(pkg == "sakip_checker" or pkg.startswith("sakip_checker.") for pkg in config["packages"])
    # every folder with Python modules under the mapped folders is a listed package (nothing left behind)
    for pkg, base in dirs.items():
        for init in base.rglob("__init__.py"):
            rel = init.parent.relative_to(base).parts
            assert ".".join((pkg, *rel)) in config["packages"], init
    data = config["package-data"]
    for package, folder in (("sakip_checker.rule_packs", "rules"), ("sakip_checker.reports", "reports/templates")):
        base = dirs[package]
        files = [p.relative_to(base).as_posix() for p in (ROOT / folder).rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts]
        assert files
        missing = [f for f in files if not any(fnmatch.fnmatch(f, g) and f.count("/") == g.count("/")
                                               for g in data[package])]
        assert missing == [], f"not in package-data of {package}"
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"sakip": "sakip_checker.cli:main"}


def test_rule_packs_are_found_installed_or_not():
    from sakip_checker.rules import RULES_ROOT

    assert (RULES_ROOT / "pergub-banten-42-2018/pack.yaml").is_file()
