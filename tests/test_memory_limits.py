"""In a container or a service with a memory limit, the server plans its kernels for the
limit, not for the host's memory (psutil sees the whole host: a 4 GiB container on a
64 GiB host planned for 300 kernels, and the OOM killer ended the room)."""

from __future__ import annotations

from pathlib import Path

import psutil

from placekit.web.capacity import memory_available

GIB = 2**30


def write(folder: Path, **files: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name.replace("_", ".", 1)).write_text(text)


def test_a_container_limit_caps_what_is_available(tmp_path: Path) -> None:
    (tmp_path / "cgroup.controllers").write_text("cpu memory\n")
    # A container sees its own cgroup as the root (cgroup namespaces).
    write(
        tmp_path,
        memory_max=f"{4 * GIB}\n",
        memory_current=f"{GIB}\n",
        memory_stat=f"anon {GIB // 2}\ninactive_file {GIB // 2}\n",
    )
    # The page cache the kernel can drop is not counted as used: 4 - (1 - 0.5) GiB.
    assert memory_available(tmp_path, "0::/\n") == 3.5 * GIB


def test_a_service_limit_or_a_parent_s_applies(tmp_path: Path) -> None:
    (tmp_path / "cgroup.controllers").write_text("memory\n")
    write(tmp_path / "system.slice", memory_max="max\n", memory_current="0\n", memory_stat="")
    write(
        tmp_path / "system.slice" / "placekit.service",
        memory_max=f"{2 * GIB}\n",
        memory_current=f"{GIB}\n",
        memory_stat="inactive_file 0\n",
    )
    assert memory_available(tmp_path, "0::/system.slice/placekit.service\n") == GIB


def test_cgroup_v1_as_docker_on_an_older_host_writes_it(tmp_path: Path) -> None:
    # The path named in /proc/self/cgroup is the host's; inside, the mount is the root.
    write(
        tmp_path / "memory",
        memory_limit_in_bytes=f"{3 * GIB}\n",
        memory_usage_in_bytes=f"{GIB}\n",
        memory_stat=f"total_inactive_file {GIB}\ncache {GIB}\n",
    )
    assert memory_available(tmp_path, "4:memory:/docker/0123abcd\n1:cpu:/\n") == 3 * GIB


def test_no_limit_leaves_the_machine_s_free_memory(tmp_path: Path) -> None:
    (tmp_path / "cgroup.controllers").write_text("memory\n")
    write(tmp_path, memory_max="max\n", memory_current=f"{GIB}\n", memory_stat="")
    unlimited_v1 = tmp_path / "v1"
    write(
        unlimited_v1 / "memory",
        memory_limit_in_bytes="9223372036854771712\n",
        memory_usage_in_bytes="1\n",
        memory_stat="",
    )
    host = psutil.virtual_memory().available
    for cgroups, membership in [
        (tmp_path, "0::/\n"),
        (unlimited_v1, "4:memory:/\n"),
        (tmp_path / "none", ""),  # not Linux, or no cgroups
    ]:
        assert abs(memory_available(cgroups, membership) - host) < GIB // 4  # it moves a little


def test_an_odd_cgroup_file_is_no_limit(tmp_path: Path) -> None:
    host = psutil.virtual_memory().available
    assert abs(memory_available(tmp_path, "garbage\n\n4:memory\n") - host) < GIB // 4
