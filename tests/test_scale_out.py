"""The scale-out set of docker-compose.yml (profile "scale", README "Scaling out"), read as Compose reads it.

Docker is not on the test machines: the file and the configurations it mounts are parsed and checked for what
the set must do (several prefork Odoo hosts on one database and one filestore, nginx in front, HAProxy's queue
between them, one installer, a streaming replica for reports), `nginx -t` and `haproxy -c` check the proxies'
configurations, and both proxies run on loopback in front of Odoo's own ProxyFix to show what Odoo reads.
"""

import configparser
import http.client
import itertools
import json
import re
import shlex
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import yaml
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from odoo.http import ProxyFix

ROOT = Path(__file__).resolve().parent.parent

ODOO_MODULES = {"garbage_sorting", "party_branch_linkage"}
INSTALL_FLAGS = ("-i", "-u", "--init", "--update")


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def started_with(services, target):
    """The services `docker compose --profile scale up <target>` starts: the target and what it depends on."""
    started, todo = set(), [target]
    while todo:
        name = todo.pop()
        if name not in started:
            started.add(name)
            todo.extend(services[name].get("depends_on", {}))
    return started


def arguments(service):
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def installs(service):
    return any(
        arg in INSTALL_FLAGS or arg.startswith(tuple(f"{flag}=" for flag in INSTALL_FLAGS))
        for arg in arguments(service)
    )


def mounts(service):
    """Target path -> source of each volume of a service."""
    return {volume.split(":")[1]: volume.split(":")[0] for volume in service["volumes"]}


def option(service, name):
    args = arguments(service)
    for index, arg in enumerate(args):
        if arg == name:
            return args[index + 1]
        if arg.startswith(f"{name}="):
            return arg.split("=", 1)[1]
    return None


def odoo_options(service):
    parser = configparser.ConfigParser(inline_comment_prefixes=(";",))
    parser.read(ROOT / mounts(service)["/etc/odoo/odoo.conf"])
    return parser["options"]


def nginx_blocks(text):
    """A small reader of nginx's syntax: [(directive, arguments, children or None)]."""
    tokens = re.findall(r"'[^']*'|\"[^\"]*\"|[{};]|[^\s{};]+", re.sub(r"#[^\n]*", "", text))
    position = 0

    def block():
        nonlocal position
        items, words = [], []
        while position < len(tokens):
            token = tokens[position]
            position += 1
            if token == "}":
                return items
            if token == ";":
                items.append((words[0], words[1:], None))
                words = []
            elif token == "{":
                items.append((words[0], words[1:], block()))
                words = []
            else:
                words.append(token.strip("'\""))
        return items

    return block()


def nginx_server_block():
    """The server block of config/nginx-odoo.conf, its upstreams and its locations."""
    blocks = nginx_blocks((ROOT / "config/nginx-odoo.conf").read_text())
    upstreams = {
        args[0]: [child[1][0] for child in children if child[0] == "server"]
        for name, args, children in blocks
        if name == "upstream"
    }
    (server,) = [children for name, _args, children in blocks if name == "server"]
    locations = {args[0]: children for name, args, children in server if name == "location"}
    return server, upstreams, locations


def directives(children, name):
    """The arguments of each directive `name` of an nginx block."""
    return [args for directive, args, _children in children if directive == name]


def keywords(lines, name):
    """The arguments of each line `name` of a HAProxy section."""
    return [words[1:] for words in lines if words[0] == name]


def haproxy_sections(text):
    """HAProxy's configuration: {(section, name): [[keyword, arguments...], ...]}."""
    sections, current = {}, None
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if line[0].isspace():
            current.append(words)
        else:
            current = sections.setdefault((words[0], " ".join(words[1:])), [])
    return sections


def seconds(value):
    return int(value.removesuffix("s"))


def haproxy_on_loopback(server_port, bind_port):
    """config/haproxy-odoo.cfg with the Compose set's hosts on this machine, as scripts/bench_portal.sh rewrites it."""
    text = (ROOT / "config/haproxy-odoo.cfg").read_text()
    text = re.sub(r"server-template odoo-web 1-\d+ odoo-web:8069", f"server odoo-web 127.0.0.1:{server_port}", text)
    text = text.replace(" resolvers docker resolve-prefer ipv4 init-addr none", "")
    return text.replace("bind :8069", f"bind 127.0.0.1:{bind_port}")


def test_default_set_is_unchanged():
    """Without a profile: the database and one threaded Odoo that installs both addons, as before."""
    services = compose()["services"]
    assert {name for name, service in services.items() if "profiles" not in service} == {"db", "odoo"}
    odoo = services["odoo"]
    assert odoo["ports"] == ["${HTTP_PORT:-8069}:8069"]
    assert mounts(odoo)["/etc/odoo/odoo.conf"] == "./config/odoo.conf"
    assert odoo_options(odoo).getint("workers") == 0
    assert installs(odoo)
    assert option(odoo, "-i") == ",".join(sorted(ODOO_MODULES))
    assert "deploy" not in odoo
    assert "--stop-after-init" not in arguments(odoo)


def test_scale_profile_runs_several_prefork_hosts_on_one_database_and_filestore():
    spec = compose()
    services = spec["services"]
    started = started_with(services, "nginx")
    assert all(services[name].get("profiles", ["scale"]) == ["scale"] for name in started - {"db"})
    odoo_services = {name: services[name] for name in started if services[name]["image"] == "odoo:18"}
    serving = {
        name: service for name, service in odoo_services.items() if "--stop-after-init" not in arguments(service)
    }
    # At least two Odoo hosts serve, and Compose may scale them: no fixed container name, no host port.
    assert sum(service.get("deploy", {}).get("replicas", 1) for service in serving.values()) >= 2
    for service in serving.values():
        assert "container_name" not in service and "ports" not in service
        assert {"8069", "8072"} <= set(service["expose"])
    # One database and one filestore for all of them, and for the default Odoo too.
    default = services["odoo"]
    for name, service in odoo_services.items():
        assert option(service, "-d") == option(default, "-d") == "garbage_sorting", name
        assert service["environment"]["HOST"] == default["environment"]["HOST"] == "db", name
        assert mounts(service)["/var/lib/odoo"] == mounts(default)["/var/lib/odoo"] == "odoo-data", name
        assert mounts(service)["/mnt/extra-addons"] == "./addons", name
        assert option(service, "--addons-path") == option(default, "--addons-path"), name
    assert "odoo-data" in spec["volumes"]
    # Prefork workers behind a proxy, data_dir (filestore and sessions) on the shared volume, at the same place
    # as the default service's (Odoo's default data_dir for the image's odoo user, whose home is /var/lib/odoo).
    for name, service in serving.items():
        options = odoo_options(service)
        assert options.getint("workers") > 0, name
        assert options.getint("gevent_port") == 8072, name
        assert options.getboolean("proxy_mode"), name
        assert options["data_dir"] == "/var/lib/odoo/.local/share/Odoo", name
        assert options["db_name"] == "garbage_sorting" and not options.getboolean("list_db"), name
        assert "--no-database-list" in arguments(service), name
        assert options.getint("limit_time_real") > options.getint("limit_time_cpu") > 0, name
        assert options.getint("limit_memory_hard") > options.getint("limit_memory_soft") > 0, name


def test_only_one_service_installs_and_the_hosts_wait_for_it():
    services = compose()["services"]
    started = started_with(services, "nginx")
    installers = [name for name in started if "command" in services[name] and installs(services[name])]
    assert installers == ["odoo-init"]
    installer = services["odoo-init"]
    assert set(option(installer, "-i").split(",")) == ODOO_MODULES
    assert "--stop-after-init" in arguments(installer)
    assert option(installer, "--workers") == "0"
    for name in started:
        if services[name]["image"] == "odoo:18" and name != "odoo-init":
            assert services[name]["depends_on"]["odoo-init"] == {"condition": "service_completed_successfully"}


def test_nginx_routes_pages_to_haproxy_and_the_websocket_to_the_gevent_port():
    services = compose()["services"]
    nginx = services["nginx"]
    assert nginx["image"].startswith("nginx")
    assert nginx["depends_on"]["odoo-web"] == {"condition": "service_healthy"}
    assert nginx["depends_on"]["haproxy"] == {"condition": "service_started"}
    assert mounts(nginx)["/etc/nginx/conf.d/default.conf"] == "./config/nginx-odoo.conf"
    _server, upstreams, locations = nginx_server_block()

    def upstream(location):
        (proxy_pass,) = directives(locations[location], "proxy_pass")
        return upstreams[proxy_pass[0].removeprefix("http://")]

    assert upstream("/websocket") == ["odoo-web:8072"]
    assert upstream("/") == ["haproxy:8069"]
    websocket_headers = dict(directives(locations["/websocket"], "proxy_set_header"))
    assert websocket_headers["Upgrade"] == "$http_upgrade"
    assert websocket_headers["Connection"] == "$connection_upgrade"
    assert directives(locations["/websocket"], "proxy_http_version") == [["1.1"]]
    for location in ("/", "/websocket"):
        headers = dict(directives(locations[location], "proxy_set_header"))
        assert headers["X-Forwarded-Host"] == "$http_host", location
        assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for", location
        assert headers["X-Forwarded-Proto"] == "$scheme", location
    # The upstream hosts are the scale set's own services.
    for servers in upstreams.values():
        for address in servers:
            assert address.split(":")[0] in started_with(services, "nginx")


def test_haproxy_queues_the_requests_beyond_a_few_per_odoo_host():
    services = compose()["services"]
    haproxy = services["haproxy"]
    assert haproxy["image"] == "haproxy:2.6"
    assert haproxy["profiles"] == ["scale"]
    assert "haproxy" in started_with(services, "nginx")
    assert haproxy["depends_on"]["odoo-web"] == {"condition": "service_healthy"}
    # Only nginx faces the clients.
    assert "ports" not in haproxy and haproxy["expose"] == ["8069"]
    config = haproxy_sections((ROOT / mounts(haproxy)["/usr/local/etc/haproxy/haproxy.cfg"]).read_text())
    defaults = config[("defaults", "")]
    ((_frontend, frontend),) = [(key, lines) for key, lines in config.items() if key[0] == "frontend"]
    assert keywords(frontend, "bind") == [[":8069"]]
    ((backend_name,),) = keywords(frontend, "default_backend")
    backend = config[("backend", backend_name)]
    options = [args for section in (defaults, frontend, backend) for args in keywords(section, "option")]

    # Every container of odoo-web, found by Docker's DNS without a reload when the service is scaled.
    ((_prefix, count, address),) = keywords(backend, "server-template")
    assert address == "odoo-web:8069"
    assert int(count.split("-")[1]) >= services["odoo-web"]["deploy"]["replicas"]
    assert ["nameserver", "dns", "127.0.0.11:53"] in config[("resolvers", "docker")]
    (default_server,) = keywords(backend, "default-server")
    settings = dict(itertools.pairwise(default_server))
    assert settings["resolvers"] == "docker" and settings["init-addr"] == "none"
    # A few requests in flight per host: at least one per worker, far under the prefork server's listen backlog
    # of 8 per worker (odoo/service/server.py), beyond which the kernel drops connections.
    workers = odoo_options(services["odoo-web"]).getint("workers")
    assert workers <= int(settings["maxconn"]) < 8 * workers
    assert "check" in default_server and ["httpchk"] in options
    # Odoo's dispatcher needs a Host header (it picks the database by host): HTTP/1.1 with one.
    check_request = ["send", "meth", "GET", "uri", "/web/health", "ver", "HTTP/1.1", "hdr", "Host", "localhost"]
    assert check_request in keywords(backend, "http-check")
    assert "http://localhost:8069/web/health" in services["odoo-web"]["healthcheck"]["test"]

    # The others wait as long as nginx waits for an answer.
    server, _upstreams, _locations = nginx_server_block()
    ((nginx_timeout,),) = directives(server, "proxy_read_timeout")
    timeouts = {args[0]: args[1] for args in keywords(defaults, "timeout")}
    assert seconds(timeouts["queue"]) >= seconds(nginx_timeout)
    assert seconds(timeouts["server"]) >= seconds(nginx_timeout)
    assert ["http-buffer-request"] in options
    # A refused connection goes to another host; a request already sent is never sent again.
    assert keywords(defaults, "retry-on") == [["conn-failure"]]
    assert ["redispatch"] in options
    # The X-Forwarded-* headers of nginx pass unchanged.
    assert not [args for args in options if args[0] == "forwardfor"]


def test_haproxy_accepts_the_configuration(tmp_path):
    # haproxy comes from Debian's haproxy (scripts/test.sh checks it, .ci/run installs it).
    # As mounted in Compose (the hosts are resolved at run time, init-addr none), and as the bench rewrites it.
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    subprocess.run([haproxy, "-c", "-q", "-f", str(ROOT / "config/haproxy-odoo.cfg")], check=True)
    (tmp_path / "haproxy.cfg").write_text(haproxy_on_loopback(8069, 8070))
    subprocess.run([haproxy, "-c", "-q", "-f", str(tmp_path / "haproxy.cfg")], check=True)


def test_reports_read_from_a_streaming_replica_of_the_same_database():
    services = compose()["services"]
    assert "db-replica" in started_with(services, "nginx")
    replica = services["db-replica"]
    assert replica["image"] == services["db"]["image"]
    assert replica["depends_on"]["db"] == {"condition": "service_healthy"}
    assert mounts(replica)["/var/lib/postgresql/data"] == "db-replica-data"
    script = " ".join(arguments(replica))
    assert "pg_basebackup --host=db --username=replicator" in script
    assert "--write-recovery-conf" in script and "--wal-method=stream" in script
    assert "exec docker-entrypoint.sh postgres" in script
    # The primary gets the replication role and its pg_hba line from a script of the official image's init.
    init = mounts(services["db"])
    script_path = ROOT / init["/docker-entrypoint-initdb.d/10-replication.sh"]
    primary_side = script_path.read_text()
    assert "CREATE ROLE replicator WITH REPLICATION LOGIN" in primary_side
    assert "host replication replicator all scram-sha-256" in primary_side
    assert replica["environment"]["PGPASSWORD"] in primary_side
    # The Odoo hosts read through Odoo's own replica options, once the replica accepts connections.
    options = odoo_options(services["odoo-web"])
    assert options["db_replica_host"] == "db-replica"
    assert options.getint("db_replica_port") == 5432
    assert services["odoo-web"]["depends_on"]["db-replica"] == {"condition": "service_healthy"}


def test_nginx_accepts_the_configuration(tmp_path):
    # nginx comes from Debian's nginx-light (scripts/test.sh checks it, .ci/run installs it)
    # The Compose service names do not resolve outside Compose: the same file with a local address.
    text = re.sub(r"(odoo-web|haproxy):", "127.0.0.1:", (ROOT / "config/nginx-odoo.conf").read_text())
    (tmp_path / "odoo.conf").write_text(text)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\naccess_log off;\ninclude {tmp_path}/odoo.conf;\n}}\n"
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], check=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_odoo_reads_the_client_through_nginx_and_haproxy(tmp_path):
    """Both proxies on loopback in front of an application that reads the request as Odoo's proxy_mode does."""
    seen = []

    @Request.application
    def application(request):
        seen.append(request.get_data())
        answer = {"remote_addr": request.remote_addr, "host": request.host, "scheme": request.scheme}
        return Response(json.dumps(answer), content_type="application/json")

    odoo_port, queue_port, proxy_port = free_port(), free_port(), free_port()
    server = make_server("127.0.0.1", odoo_port, ProxyFix(application))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    (tmp_path / "haproxy.cfg").write_text(haproxy_on_loopback(odoo_port, queue_port))
    text = (ROOT / "config/nginx-odoo.conf").read_text()
    text = text.replace("haproxy:8069", f"127.0.0.1:{queue_port}").replace("odoo-web:8072", f"127.0.0.1:{odoo_port}")
    (tmp_path / "odoo.conf").write_text(text.replace("listen 80;", f"listen 127.0.0.1:{proxy_port};"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\naccess_log off;\ninclude {tmp_path}/odoo.conf;\n}}\n"
    )
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    proxies = [
        subprocess.Popen([haproxy, "-db", "-f", str(tmp_path / "haproxy.cfg")], stdout=subprocess.DEVNULL),
        subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"]),
    ]
    try:

        def post(body):
            # From another loopback address than the proxies' own, with a forged X-Forwarded-For.
            for _attempt in range(50):
                connection = http.client.HTTPConnection("127.0.0.1", proxy_port, source_address=("127.0.0.5", 0))
                try:
                    connection.request(
                        "POST", "/web/login", body, {"Host": "town.example", "X-Forwarded-For": "203.0.113.9"}
                    )
                    response = connection.getresponse()
                    if response.status == 200:
                        return json.loads(response.read())
                except ConnectionRefusedError:
                    pass
                finally:
                    connection.close()
                time.sleep(0.1)
            raise AssertionError("the proxies did not answer")

        answer = post(b"login=volunteer")
        # Odoo reads the address nginx added, the client's, not HAProxy's peer nor the forged one.
        assert answer == {"remote_addr": "127.0.0.5", "host": "town.example", "scheme": "http"}
        # A POST reaches the workers once (the health checks are GETs).
        assert seen.count(b"login=volunteer") == 1
    finally:
        for process in proxies:
            process.terminate()
            process.wait(timeout=10)
        server.shutdown()
