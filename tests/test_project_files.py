"""The project's own files: Docker Compose and the configuration are valid and consistent."""

import configparser
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_docker_compose_runs_both_addons_on_postgres():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["db"]["image"].startswith("postgres:")
    odoo = services["odoo"]
    assert odoo["image"] == "odoo:18"
    assert "db" in odoo["depends_on"]
    assert "8069:8069" in odoo["ports"]
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in odoo["volumes"]}
    assert mounts["/mnt/extra-addons"] == "./addons"
    assert (ROOT / mounts["/etc/odoo/odoo.conf"]).is_file()
    assert "--addons-path=/mnt/extra-addons" in odoo["command"]
    assert "-i garbage_sorting,party_branch_linkage" in odoo["command"]
    assert set(compose["volumes"]) >= {"db-data", "odoo-data"}
    for volume in odoo["volumes"] + services["db"]["volumes"]:
        source = volume.split(":")[0]
        assert source.startswith("./") or source in compose["volumes"], volume


def test_configurations_are_machine_independent():
    for name in ("odoo.conf", "odoo-test.conf"):
        parser = configparser.ConfigParser()
        parser.read(ROOT / "config" / name)
        options = parser["options"]
        assert options["db_name"]
        assert "addons_path" not in options, "the addons path is machine-specific: scripts pass it"
        assert "db_host" not in options


def test_town_dashboard_file_is_the_scripts_output(tmp_path):
    # The dashboard is written by scripts/build_town_dashboard.py: a hand edit of the JSON would be lost.
    import subprocess
    import sys

    out = tmp_path / "dashboard.json"
    subprocess.run([sys.executable, str(ROOT / "scripts/build_town_dashboard.py"), str(out)], check=True)
    committed = ROOT / "addons/garbage_sorting/data/files/garbage_town_dashboard.json"
    assert out.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")
