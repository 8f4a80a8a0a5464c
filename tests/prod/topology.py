"""SIAP's production topology on this machine, every service its own process, for `make prod-check` and tests/prod.

The services run exactly as docker/compose.yml runs them: the SIAP processes read docker/siap.env and the
compose file's commands, nginx serves docker/nginx.conf. Only what differs on one machine is replaced: hosts and
ports (each service on loopback from ``port_base`` up), folders (all under ``state_dir``), a generated SECRET_KEY
and TLS certificate. So the compose file and this copy of it cannot drift apart.

    with Topology() as t:
        requests.get(t.base_url + "/akun/masuk/", verify=str(t.certificate))

Ports: PostgreSQL ``port_base``, Redis +1, Elasticsearch +2, gunicorn +3, nginx (TLS) +4.
"""

import atexit
import datetime
import http.client
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
ENV_FILE = DOCKER / "siap.env"
COMPOSE_FILE = DOCKER / "compose.yml"
NGINX_TEMPLATE = DOCKER / "nginx.conf"
ES_SCRIPT = ROOT / "tests" / "services" / "elasticsearch" / "run.sh"
PYTHON = Path(sys.executable)

SIAP_SERVICES = ("web", "worker", "asr-worker", "beat")
SERVICES = ("postgresql", "redis", "elasticsearch", *SIAP_SERVICES, "proxy")
# the variables of the host environment SIAP's processes inherit; everything else comes from siap.env
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "JAVA_HOME", "TZ")


class TopologyError(RuntimeError):
    pass


def missing_tools():
    """The programs this topology needs that this machine lacks (names for a skip or failure message)."""
    missing = []
    if not postgresql_bin():
        missing.append("PostgreSQL (/usr/lib/postgresql/*/bin)")
    for program in ("redis-server", "nginx", "java"):
        if not shutil.which(program) and not Path("/usr/sbin", program).exists():
            missing.append(program)
    for module in ("gunicorn", "celery"):
        if not (PYTHON.parent / module).exists():
            missing.append(f"{module} (in {PYTHON.parent})")
    return missing


def postgresql_bin():
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name))
    return versions[-1] if versions else None


def nginx_binary():
    return shutil.which("nginx") or "/usr/sbin/nginx"


def read_env_file(path=ENV_FILE):
    """KEY=VALUE lines as compose's env_file reads them (comments and blank lines skipped, no quoting)."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _sep, value = line.partition("=")
            values[key.strip()] = value
    return values


def compose_services(path=COMPOSE_FILE):
    return yaml.safe_load(path.read_text())["services"]


def port_open(port, host="127.0.0.1"):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def wait_until(condition, timeout, what, log=None):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            tail = ""
            if log and Path(log).exists():
                tail = "\n" + "\n".join(Path(log).read_text(errors="replace").splitlines()[-40:])
            raise TopologyError(f"{what} did not become ready within {timeout} s{tail}")
        time.sleep(0.2)


def self_signed_certificate(directory, host="127.0.0.1"):
    """A certificate for ``host`` (and localhost), with its key; returns (certificate path, key path)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([
            x509.IPAddress(ipaddress.ip_address(host)), x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = Path(directory) / "siap.crt", Path(directory) / "siap.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    key_path.chmod(0o600)
    return cert_path, key_path


def render_template(text, values):
    """Fill ``${NAME}`` as the nginx image's envsubst does; a name left unfilled is an error, not an empty string."""
    def fill(match):
        if match.group(1) not in values:
            raise TopologyError(f"{NGINX_TEMPLATE.name} needs ${{{match.group(1)}}}, which is not set")
        return values[match.group(1)]
    return re.sub(r"\$\{([A-Z0-9_]+)\}", fill, text)


class Topology:
    """Start, stop, break and restart each service of the production topology; see the module's docstring."""

    def __init__(self, port_base=27000, state_dir=None, env_overrides=None):
        self.port_base = port_base
        self.ports = {
            "postgresql": port_base, "redis": port_base + 1, "elasticsearch": port_base + 2,
            "web": port_base + 3, "proxy": port_base + 4,
        }
        self._own_state_dir = state_dir is None
        self.state_dir = Path(state_dir or tempfile.mkdtemp(prefix="siap-prod-"))
        self.base_url = f"https://127.0.0.1:{self.ports['proxy']}"
        self.app_url = f"http://127.0.0.1:{self.ports['web']}"
        self.env_overrides = dict(env_overrides or {})
        self.processes = {}  # name → Popen of the services this object runs in the foreground
        self.timings = {}  # what start() measured, seconds: name → time to ready
        self.started = False
        self._pg_needs_role = False  # a fresh cluster gets SIAP's role and database once it answers
        self.certificate = self.state_dir / "tls" / "siap.crt"
        self.env = self._environment()

    # --- the settings every SIAP process runs with -------------------------------------------------------------

    def _environment(self):
        env = {name: os.environ[name] for name in INHERITED if name in os.environ}
        env.update(read_env_file())
        local = {
            "DATABASE_URL": f"postgres://siap:siap@127.0.0.1:{self.ports['postgresql']}/siap",
            "BROKER_URL": f"redis://127.0.0.1:{self.ports['redis']}/0",
            "CACHE_URL": f"redis://127.0.0.1:{self.ports['redis']}/1",
            "SEARCH_URL": f"http://127.0.0.1:{self.ports['elasticsearch']}",
            "MEDIA_ROOT": str(self.state_dir / "media"),
            "STATIC_ROOT": str(self.state_dir / "static"),
            "SIAP_VAR_DIR": str(self.state_dir / "var"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": self.base_url,
            "SIAP_BASE_URL": self.base_url,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SETTINGS_MODULE": "project.settings",
            "PYTHONUNBUFFERED": "1",
            "PATH": f"{PYTHON.parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        }
        env.update(local)
        env.update(self.env_overrides)
        return env

    # --- lifecycle ---------------------------------------------------------------------------------------------

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        """Start every service and wait until each answers; on any failure stop what was started and raise."""
        atexit.register(self.stop)
        self.started = True
        began = time.monotonic()
        try:
            busy = [f"{name} {port}" for name, port in self.ports.items() if port_open(port)]
            if busy:
                raise TopologyError(f"ports already in use (another topology?): {', '.join(busy)}")
            for folder in ("logs", "media", "static", "var", "tls", "nginx", "redis"):
                (self.state_dir / folder).mkdir(parents=True, exist_ok=True)
            # nginx's workers (nobody) read the media folder; PostgreSQL (postgres) its own folder below
            self.state_dir.chmod(0o755)
            self._timed("elasticsearch-launch", lambda: self.start_service("elasticsearch", wait=False))
            self._timed("postgresql", lambda: self.start_service("postgresql"))
            self._timed("redis", lambda: self.start_service("redis"))
            self._timed("migrate", lambda: self.manage("migrate", "--noinput"))
            # the SIAP processes boot while the organisation loads: it commits in one transaction, so whatever
            # they run meanwhile sees all of it or none of it, and their start-up costs no extra time
            organisation = self._start_loading_organisation()
            for name in SIAP_SERVICES:
                self.start_service(name, wait=False)
            self._timed("proxy", lambda: self.start_service("proxy"))
            self._timed("organisation", lambda: self._finish_loading_organisation(organisation))
            for name in ("elasticsearch", *SIAP_SERVICES):
                self._timed(name, lambda name=name: self._wait_ready(name))
        except BaseException:
            self.stop()
            raise
        self.timings["total"] = time.monotonic() - began
        return self

    def _timed(self, label, action):
        began = time.monotonic()
        action()
        self.timings[label] = time.monotonic() - began

    def stop(self):
        """Stop everything this topology started, whatever state it is in; idempotent."""
        if not self.started:
            return
        for name in reversed(SERVICES):
            try:
                self.stop_service(name)
            except Exception as problem:  # noqa: BLE001 - stopping the rest matters more than this one
                print(f"topology: stopping {name} failed: {problem}", file=sys.stderr)
        self.started = False
        atexit.unregister(self.stop)
        if self._own_state_dir and not os.environ.get("SIAP_PROD_KEEP_STATE"):
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def _start_loading_organisation(self):
        """The demo organisation and its users (password ``siap-demo``) without the processes' demo data:
        the journeys need people in their roles, not 32 letters, and this takes seconds instead of a minute."""
        code = (
            "from django.db import transaction\n"
            "from fixtures import organisation\n"
            "with transaction.atomic():\n"
            "    organisation.build()\n"
        )
        return subprocess.Popen([str(PYTHON), "manage.py", "shell", "-c", code], cwd=ROOT, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    @staticmethod
    def _finish_loading_organisation(process):
        _stdout, stderr = process.communicate()
        if process.returncode:
            raise TopologyError(f"loading the organisation failed ({process.returncode}):\n{stderr[-4000:]}")

    # --- one service -------------------------------------------------------------------------------------------

    def log(self, name):
        return self.state_dir / "logs" / f"{name}.log"

    def pid(self, name):
        if name == "elasticsearch":
            pid_file = self.state_dir / "es" / "node.pid"
            return int(pid_file.read_text()) if pid_file.exists() else None
        process = self.processes.get(name)
        return process.pid if process and process.poll() is None else None

    def manage(self, *args, check=True):
        result = subprocess.run(
            [str(PYTHON), "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        if check and result.returncode:
            raise TopologyError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-4000:]}")
        return result

    def start_service(self, name, wait=True):
        if name == "elasticsearch":
            return self._start_elasticsearch(wait)
        if self.pid(name):
            return
        starter = {"postgresql": self._start_postgresql, "redis": self._start_redis, "proxy": self._start_proxy}
        command, user = starter[name]() if name in starter else (self._siap_command(name), None)
        log = open(self.log(name), "ab")  # noqa: SIM115 - the child keeps it open
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, user=user,
        )
        log.close()
        if wait:
            self._wait_ready(name)

    def stop_service(self, name, timeout=30):
        """A clean stop, as the service's own manager would do it; SIGKILL to the group when it does not end."""
        if name == "elasticsearch":
            launcher = self.processes.pop("elasticsearch-launch", None)
            if launcher is not None and launcher.poll() is None:
                launcher.kill()
                launcher.wait()
            if (self.state_dir / "es").exists():
                subprocess.run([str(ES_SCRIPT), "stop"], env=self._es_env(), capture_output=True, timeout=60)
            return
        process = self.processes.pop(name, None)
        if process is None:
            return
        if process.poll() is not None:  # its main process is gone: what it left behind goes too
            self._kill_group(process.pid)
            return
        # to the main process, which stops its own children: PostgreSQL's fast shutdown, nginx's graceful one,
        # Celery's warm shutdown (the running task finishes), gunicorn's graceful one
        stop_signal = {"postgresql": signal.SIGINT, "proxy": signal.SIGQUIT}.get(name, signal.SIGTERM)
        try:
            process.send_signal(stop_signal)
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            return
        self._kill_group(process.pid)
        process.wait()

    def restart_service(self, name):
        self.stop_service(name)
        self.start_service(name)

    def kill(self, name, sig=signal.SIGKILL):
        """Send ``sig`` to the service's whole process group (a worker's main process and its children)."""
        pid = self.pid(name)
        if pid is None:
            raise TopologyError(f"{name} is not running")
        os.killpg(pid, sig)
        if sig == signal.SIGKILL and name in self.processes:
            self.processes[name].wait()
            self._kill_group(pid)

    @staticmethod
    def _kill_group(pgid):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def _wait_ready(self, name):
        log = self.log(name)
        process = self.processes.get(name)

        def alive_and(check):
            def condition():
                if process is not None and process.poll() is not None:
                    raise TopologyError(f"{name} exited with {process.returncode}; see {log}:\n"
                                        + log.read_text(errors="replace")[-4000:])
                return check()
            return condition

        if name == "elasticsearch":
            launcher = self.processes.pop("elasticsearch-launch", None)
            if launcher is not None and launcher.wait(180):
                raise TopologyError("Elasticsearch did not start:\n" + log.read_text(errors="replace")[-4000:])
        elif name == "postgresql":
            wait_until(alive_and(self._postgresql_answers), 60, name, log)
        elif name in ("redis", "proxy"):
            wait_until(alive_and(lambda: port_open(self.ports[name])), 30, name, log)
        elif name == "web":
            wait_until(alive_and(self._web_answers), 90, name, log)
        elif name in ("worker", "asr-worker"):
            wait_until(alive_and(lambda: b" ready." in log.read_bytes()), 120, name, log)
        elif name == "beat":
            wait_until(alive_and(lambda: b"beat: Starting" in log.read_bytes()), 60, name, log)

    def _web_answers(self):
        """gunicorn serves the login page (as the proxy would ask for it: over TLS, for an allowed host)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.ports["web"], timeout=5)
        try:
            connection.request("GET", "/akun/masuk/", headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    # --- how each service is started ---------------------------------------------------------------------------

    def _siap_command(self, name):
        """The compose file's command for this service, with its bind address and beat schedule made local."""
        command = compose_services()[name]["command"].split()
        local = {"0.0.0.0:8000": f"127.0.0.1:{self.ports['web']}",
                 "/tmp/celerybeat-schedule": str(self.state_dir / "var" / "celerybeat-schedule")}
        command = [local.get(part, part) for part in command]
        if command[0] in ("gunicorn", "celery"):
            command[0] = str(PYTHON.parent / command[0])
        return command

    def _pg_user(self):
        """PostgreSQL refuses to run as root: as root it runs as ``postgres``."""
        return "postgres" if os.getuid() == 0 else None

    def _start_postgresql(self):
        pg_bin, data = postgresql_bin(), self.state_dir / "pg"
        user = self._pg_user()
        if not (data / "PG_VERSION").exists():
            data.mkdir(parents=True, exist_ok=True)
            if user:
                entry = pwd.getpwnam(user)
                os.chown(data, entry.pw_uid, entry.pw_gid)
            subprocess.run(
                [str(pg_bin / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                 "--locale=C.UTF-8"], check=True, capture_output=True, user=user,
            )
            self._pg_needs_role = True
        return [
            str(pg_bin / "postgres"), "-D", str(data), "-p", str(self.ports["postgresql"]), "-k", str(data),
            "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200",
            # a throwaway cluster: no waiting for the disk (a crash of the machine loses it anyway)
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
        ], user

    def _psql(self, sql):
        return subprocess.run(
            [str(postgresql_bin() / "psql"), "-h", "127.0.0.1", "-p", str(self.ports["postgresql"]), "-U", "postgres",
             "-v", "ON_ERROR_STOP=1", "-qtAc", sql], capture_output=True, text=True,
        )

    def _postgresql_answers(self):
        if self._psql("select 1").returncode:
            return False
        if self._pg_needs_role:
            for sql in ("create role siap login createdb password 'siap'", "create database siap owner siap"):
                done = self._psql(sql)
                if done.returncode:
                    raise TopologyError(f"PostgreSQL: {sql}: {done.stderr}")
            self._pg_needs_role = False
        return True

    def _start_redis(self):
        # as compose runs it: every write appended to disk, so queued jobs survive a restart
        return [
            "redis-server", "--port", str(self.ports["redis"]), "--bind", "127.0.0.1", "--dir",
            str(self.state_dir / "redis"), "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
        ], None

    def _es_env(self):
        return {**os.environ, "ES_PORT": str(self.ports["elasticsearch"]), "SIAP_ES_HOME": str(self.state_dir / "es")}

    def _start_elasticsearch(self, wait):
        if port_open(self.ports["elasticsearch"]):
            return
        log = open(self.log("elasticsearch"), "ab")  # noqa: SIM115 - the child keeps it open
        self.processes["elasticsearch-launch"] = subprocess.Popen(
            [str(ES_SCRIPT), "start"], env=self._es_env(), stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        if wait:
            self._wait_ready("elasticsearch")

    def _start_proxy(self):
        """nginx with docker/nginx.conf, the compose file's values for it, local ports and folders."""
        tls = self.state_dir / "tls"
        if not self.certificate.exists():
            self_signed_certificate(tls)
        values = {key: str(value) for key, value in compose_services()["nginx"]["environment"].items()}
        values.update({
            "SIAP_LISTEN": f"127.0.0.1:{self.ports['proxy']} ssl",
            "SIAP_UPSTREAM": f"127.0.0.1:{self.ports['web']}",
            "SIAP_MEDIA_ROOT": self.env["MEDIA_ROOT"],
            "SIAP_TLS_CERTIFICATE": str(self.certificate),
            "SIAP_TLS_KEY": str(tls / "siap.key"),
        })
        nginx = self.state_dir / "nginx"
        server = render_template(NGINX_TEMPLATE.read_text(), values)
        # what the nginx image's own nginx.conf gives around the template: the process, logs, temporary files
        (nginx / "nginx.conf").write_text(
            f"daemon off;\nworker_processes 2;\npid {nginx}/nginx.pid;\nerror_log stderr warn;\n"
            "events { worker_connections 512; }\n"
            "http {\n"
            "  include /etc/nginx/mime.types;\n"
            f"  access_log {self.log('proxy')};\n"
            f"  client_body_temp_path {nginx}/body;\n  proxy_temp_path {nginx}/proxy;\n"
            f"  fastcgi_temp_path {nginx}/fastcgi;\n  uwsgi_temp_path {nginx}/uwsgi;\n  scgi_temp_path {nginx}/scgi;\n"
            "  sendfile on;\n"
            f"{server}\n}}\n"
        )
        return [nginx_binary(), "-p", str(nginx), "-c", str(nginx / "nginx.conf")], None
