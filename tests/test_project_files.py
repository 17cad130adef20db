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
    assert "${HTTP_PORT:-8069}:8069" in odoo["ports"]
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


def test_make_run_serves_the_live_bus_on_the_port_it_prints():
    """Threaded mode: /websocket is served on http_port, the port `make run` prints (issue 20: with workers
    the web client's websocket failed on every page, as nothing served the gevent port)."""
    parser = configparser.ConfigParser(inline_comment_prefixes=(";",))
    parser.read(ROOT / "config" / "odoo.conf")
    assert parser["options"].getint("workers") == 0
    run = (ROOT / "scripts" / "run.sh").read_text()
    assert "HTTP_PORT=${HTTP_PORT:-8069}" in run
    assert 'odoo -d "$DB_NAME" --http-port="$HTTP_PORT" --workers=0' in run
    assert "served on http://localhost:$HTTP_PORT" in run


def test_run_script_takes_another_port(tmp_path):
    """HTTP_PORT picks the port: the script's own lines, run with a stand-in for Odoo, print and use it."""
    import subprocess

    run = (ROOT / "scripts" / "run.sh").read_text()
    body = run.split("setup_all", 1)[1]
    script = tmp_path / "run.sh"
    script.write_text(
        "DB_NAME=${DB_NAME:-garbage_sorting}\nHTTP_PORT=${HTTP_PORT:-8069}\n"
        'setup_all() { :; }\nstop_postgres() { :; }\nprepare_demo_db() { :; }\nodoo() { echo "ODOO $*"; }\n'
        + "setup_all"
        + body
    )
    output = subprocess.run(
        ["bash", str(script)],
        env={"HTTP_PORT": "8123", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "served on http://localhost:8123" in output
    assert "ODOO -d garbage_sorting --http-port=8123 --workers=0" in output
