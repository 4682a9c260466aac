"""Offline validation of docker-compose.yml and deploy/: schemas plus the invariants that matter."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml

from workers.celery_app import QUEUES
from workers.config import Settings, load_seed_config

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DEPLOY = ROOT / "deploy"
K8S_VERSION = "1.37.0"
BIN = Path(sys.executable).parent
# The four queue groups: I/O bound, CPU bound, latency sensitive, housekeeping.
QUEUE_GROUPS = {("poll", "fetch"), ("process",), ("alerts", "deliver"), ("maintenance",)}
# One-shot or unprobeable on purpose (see the comments in docker-compose.yml).
NO_HEALTHCHECK = {"migrate", "beat"}
PING = "inspect ping"


def run(args: list[str | Path], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def queues_of(args: list[str]) -> tuple[str, ...]:
    assert args.count("--queues") == 1, args
    return tuple(args[args.index("--queues") + 1].split(","))


# --- docker-compose.yml --------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = compose["services"]
    return result


def workers_of(services: dict[str, dict[str, Any]]) -> dict[str, tuple[str, ...]]:
    return {
        name: queues_of(svc["command"])
        for name, svc in services.items()
        if svc.get("command", [None])[0] == "worker"
    }


def test_compose_matches_the_vendored_compose_spec_schema() -> None:
    result = run([BIN / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", COMPOSE])
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compose_schema_check_rejects_a_misspelt_key(tmp_path: Path) -> None:
    broken = tmp_path / "docker-compose.yml"
    text = COMPOSE.read_text(encoding="utf-8")
    typo = text.replace("    volumes:\n      - redis-data", "    volumez:\n      - redis-data")
    assert typo != text
    broken.write_text(typo, encoding="utf-8")
    result = run([BIN / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", broken])
    assert result.returncode != 0
    assert "volumez" in result.stdout + result.stderr


def test_docker_compose_config_accepts_the_file() -> None:
    if shutil.which("docker-compose") is None:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose)")
    result = run(["docker-compose", "-f", COMPOSE, "config", "-q"])
    assert result.returncode == 0, result.stderr


def test_exactly_one_beat(services: dict[str, dict[str, Any]]) -> None:
    beats = [name for name, svc in services.items() if svc.get("command", [None])[0] == "beat"]
    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_every_queue_is_served_by_exactly_one_worker_group(
    services: dict[str, dict[str, Any]],
) -> None:
    groups = workers_of(services)
    counts = Counter(queue for queues in groups.values() for queue in queues)
    assert set(counts) == set(QUEUES)
    assert all(n == 1 for n in counts.values()), counts
    assert set(groups.values()) == QUEUE_GROUPS


def test_redis_persists_and_never_evicts(services: dict[str, dict[str, Any]]) -> None:
    command = " ".join(services["redis"]["command"])
    assert "--appendonly yes" in command
    assert "--maxmemory-policy noeviction" in command
    assert any(v.endswith(":/data") for v in services["redis"]["volumes"])


def test_every_app_service_is_built_from_the_one_image(
    services: dict[str, dict[str, Any]],
) -> None:
    app = {n: s for n, s in services.items() if str(s.get("image", "")).startswith("tollwatch")}
    expected = {"migrate", "beat", "replay", "sink", "flower", "api"}
    assert set(workers_of(services)) | expected <= set(app)
    assert len({json.dumps(s.get("build"), sort_keys=True) for s in app.values()}) == 1
    assert len({s["image"] for s in app.values()}) == 1
    assert next(iter(app.values()))["build"]["dockerfile"] == "Dockerfile"


def test_depends_on_targets_exist_and_can_be_satisfied(
    services: dict[str, dict[str, Any]],
) -> None:
    for name, svc in services.items():
        for target, rule in svc.get("depends_on", {}).items():
            assert target in services, f"{name} depends on unknown service {target}"
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[target], f"{target} can never be healthy"
            if rule["condition"] == "service_completed_successfully":
                assert services[target].get("restart") == "no", f"{target} is not one-shot"


def test_the_pipeline_waits_for_migrations(services: dict[str, dict[str, Any]]) -> None:
    for name in [*workers_of(services), "beat", "api"]:
        rule = services[name]["depends_on"]["migrate"]
        assert rule["condition"] == "service_completed_successfully", name
    assert "tollwatch migrate && tollwatch load-config" in " ".join(services["migrate"]["command"])


def test_long_running_services_have_healthchecks(services: dict[str, dict[str, Any]]) -> None:
    missing = {name for name, svc in services.items() if "healthcheck" not in svc}
    assert missing == NO_HEALTHCHECK
    for name in workers_of(services):
        assert PING in " ".join(services[name]["healthcheck"]["test"]), name


def test_demo_secrets_are_marked_and_match_the_sink(services: dict[str, dict[str, Any]]) -> None:
    env = services["sink"]["environment"]
    secrets = json.loads(env["TOLLWATCH_ENDPOINT_SECRETS"])
    assert env["TOLLWATCH_SINK_SECRET"] in secrets.values()
    for secret in secrets.values():
        assert secret.startswith("whsec_")
        base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    assert COMPOSE.read_text(encoding="utf-8").count("DEMO ONLY") >= 3


def test_seed_files_resolve_against_the_compose_environment(
    services: dict[str, dict[str, Any]],
) -> None:
    seeds = ROOT / "seeds"
    if not list(seeds.glob("*.yaml")):
        pytest.skip("seeds/ has no config files yet")
    env = services["migrate"]["environment"]
    config = load_seed_config(seeds, env)
    assert all("replay:8765" in feed.url for feed in config.feeds)
    secrets = json.loads(env["TOLLWATCH_ENDPOINT_SECRETS"])
    for endpoint in config.endpoints:
        assert endpoint.secret_ref in secrets, endpoint.name


# --- deploy/ -------------------------------------------------------------------------------


def manifest_files() -> list[Path]:
    return sorted(p for p in DEPLOY.glob("*.yaml") if p.name != "kustomization.yaml")


def load_docs(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


@pytest.fixture(scope="module")
def resources() -> list[dict[str, Any]]:
    return [doc for path in manifest_files() for doc in load_docs(path)]


def of_kind(resources: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {r["metadata"]["name"]: r for r in resources if r["kind"] == kind}


def pod_specs(resources: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    workloads = of_kind(resources, "Deployment") | of_kind(resources, "Job")
    return {name: r["spec"]["template"]["spec"] for name, r in workloads.items()}


def containers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [*spec.get("initContainers", []), *spec["containers"]]


def worker_deployments(resources: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        name: dep
        for name, dep in of_kind(resources, "Deployment").items()
        if dep["spec"]["template"]["spec"]["containers"][0]["args"][0] == "worker"
    }


@pytest.mark.parametrize("path", manifest_files(), ids=lambda p: p.name)
def test_manifest_is_valid_kubernetes_in_strict_mode(path: Path) -> None:
    docs = load_docs(path)
    assert docs
    for doc in docs:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_strict_validation_rejects_an_unknown_field() -> None:
    doc = load_docs(DEPLOY / "beat.yaml")[0]
    doc["spec"]["template"]["spec"]["containers"][0]["imagee"] = "tollwatch"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_kustomization_lists_every_manifest_but_the_secret_template() -> None:
    kustomization = yaml.safe_load((DEPLOY / "kustomization.yaml").read_text(encoding="utf-8"))
    expected = {p.name for p in manifest_files() if not p.name.endswith(".example.yaml")}
    assert sorted(kustomization["resources"]) == sorted(expected)
    for generator in kustomization["configMapGenerator"]:
        for file in generator["files"]:
            assert (DEPLOY / file).is_file(), file


def test_beat_is_a_single_recreated_pod(resources: list[dict[str, Any]]) -> None:
    beats = [
        d
        for d in of_kind(resources, "Deployment").values()
        if d["spec"]["template"]["spec"]["containers"][0]["args"] == ["beat"]
    ]
    assert len(beats) == 1
    assert beats[0]["spec"]["replicas"] == 1
    assert beats[0]["spec"]["strategy"]["type"] == "Recreate"


def test_one_deployment_per_queue_group_covering_every_queue(
    resources: list[dict[str, Any]], services: dict[str, dict[str, Any]]
) -> None:
    groups = [
        queues_of(d["spec"]["template"]["spec"]["containers"][0]["args"])
        for d in worker_deployments(resources).values()
    ]
    assert sorted(q for g in groups for q in g) == sorted(QUEUES)
    assert set(groups) == QUEUE_GROUPS == set(workers_of(services).values())


def test_workers_have_ping_probes(resources: list[dict[str, Any]]) -> None:
    for name, dep in worker_deployments(resources).items():
        container = dep["spec"]["template"]["spec"]["containers"][0]
        for probe in ("livenessProbe", "readinessProbe"):
            command = container[probe]["exec"]["command"]
            assert PING in command[-1], (name, probe)
            # $HOSTNAME is expanded only by a shell: exec probes run without one.
            assert command[:2] == ["/bin/sh", "-c"], (name, probe)


def test_workers_outlive_their_longest_task_on_shutdown(resources: list[dict[str, Any]]) -> None:
    hard_limit = Settings.model_fields["task_time_limit"].default
    for name, dep in worker_deployments(resources).items():
        grace = dep["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
        assert grace > hard_limit, name


def test_pods_run_unprivileged_on_a_read_only_root(resources: list[dict[str, Any]]) -> None:
    for name, spec in pod_specs(resources).items():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] != 0, name
        assert spec["automountServiceAccountToken"] is False, name
        for container in containers(spec):
            ctx = container["securityContext"]
            assert ctx["allowPrivilegeEscalation"] is False, name
            assert ctx["readOnlyRootFilesystem"] is True, name
            assert ctx["capabilities"]["drop"] == ["ALL"], name
            mounts = {m["mountPath"] for m in container["volumeMounts"]}
            assert "/tmp" in mounts, name


def test_pods_share_image_config_and_declare_resources(resources: list[dict[str, Any]]) -> None:
    config_maps, secrets = of_kind(resources, "ConfigMap"), of_kind(resources, "Secret")
    images = set()
    for name, spec in pod_specs(resources).items():
        volumes = {v["name"] for v in spec.get("volumes", [])}
        for container in containers(spec):
            images.add(container["image"])
            refs = container["envFrom"]
            assert {r["configMapRef"]["name"] for r in refs if "configMapRef" in r} <= set(
                config_maps
            )
            assert {r["secretRef"]["name"] for r in refs if "secretRef" in r} <= set(secrets)
            assert {m["name"] for m in container["volumeMounts"]} <= volumes, name
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
            assert "memory" in container["resources"]["limits"], name
    assert len(images) == 1


def test_selectors_match_their_pods(resources: list[dict[str, Any]]) -> None:
    deployments = of_kind(resources, "Deployment")
    labels = {n: d["spec"]["template"]["metadata"]["labels"] for n, d in deployments.items()}
    for name, dep in deployments.items():
        assert dep["spec"]["selector"]["matchLabels"].items() <= labels[name].items(), name
    for name, pdb in of_kind(resources, "PodDisruptionBudget").items():
        wanted = pdb["spec"]["selector"]["matchLabels"].items()
        matched = [n for n, pod in labels.items() if wanted <= pod.items()]
        assert len(matched) == 1, name
        assert deployments[matched[0]]["spec"]["replicas"] > pdb["spec"]["minAvailable"], name
    for name, policy in of_kind(resources, "NetworkPolicy").items():
        wanted = policy["spec"]["podSelector"]["matchLabels"].items()
        matched = [n for n, pod in labels.items() if wanted <= pod.items()]
        # A policy for one component (the API's ingress) covers exactly it; others cover all.
        component = "app.kubernetes.io/component" in dict(wanted)
        assert len(matched) == 1 if component else sorted(matched) == sorted(labels), name
    for name, service in of_kind(resources, "Service").items():
        wanted = service["spec"]["selector"].items()
        assert len([n for n, pod in labels.items() if wanted <= pod.items()]) == 1, name


# --- the read-only API --------------------------------------------------------------------


API_PORT = 8080


def test_compose_api_serves_on_loopback_after_migrations(
    services: dict[str, dict[str, Any]],
) -> None:
    api = services["api"]
    assert api["command"] == ["api", "--host", "0.0.0.0", "--port", str(API_PORT)]
    assert api["ports"] == [f"127.0.0.1:{API_PORT}:{API_PORT}"]
    assert api["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    probe = " ".join(api["healthcheck"]["test"])
    assert f"http://127.0.0.1:{API_PORT}/healthz" in probe
    assert "curl" not in probe  # the slim image has none


def api_deployment(resources: list[dict[str, Any]]) -> dict[str, Any]:
    found = [d for d in of_kind(resources, "Deployment").values()
             if d["spec"]["template"]["spec"]["containers"][0]["args"][0] == "api"]
    assert len(found) == 1
    return found[0]


def test_api_deployment_probes_readiness_and_liveness_over_http(
    resources: list[dict[str, Any]],
) -> None:
    dep = api_deployment(resources)
    assert 1 <= dep["spec"]["replicas"] <= 2
    container = dep["spec"]["template"]["spec"]["containers"][0]
    assert container["args"][container["args"].index("--port") + 1] == str(API_PORT)
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": API_PORT}
    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
        get = container[probe]["httpGet"]
        assert get["path"] == path, probe
        assert ports.get(get["port"], get["port"]) == API_PORT, probe


def test_api_service_is_internal_and_reaches_the_container_port(
    resources: list[dict[str, Any]],
) -> None:
    service = of_kind(resources, "Service")["tollwatch-api"]
    assert service["spec"]["type"] == "ClusterIP"
    pod = api_deployment(resources)["spec"]["template"]
    assert service["spec"]["selector"].items() <= pod["metadata"]["labels"].items()
    named = {p["name"]: p["containerPort"] for p in pod["spec"]["containers"][0]["ports"]}
    (port,) = service["spec"]["ports"]
    assert named[port["targetPort"]] == API_PORT
    ingress = [p for p in of_kind(resources, "NetworkPolicy").values()
               if p["spec"]["podSelector"]["matchLabels"].items()
               <= pod["metadata"]["labels"].items() and p["spec"].get("ingress")]
    assert [r["ports"] for p in ingress for r in p["spec"]["ingress"]] == [
        [{"protocol": "TCP", "port": API_PORT}]]


def test_api_pods_never_hold_the_webhook_secrets(resources: list[dict[str, Any]]) -> None:
    container = api_deployment(resources)["spec"]["template"]["spec"]["containers"][0]
    assert not [r for r in container["envFrom"] if "secretRef" in r]
    secret = of_kind(resources, "Secret")["tollwatch-secrets"]["stringData"]
    refs = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"]}
    assert set(refs) == {"TOLLWATCH_DATABASE_URL", "TOLLWATCH_BROKER_URL"}
    for ref in refs.values():
        assert ref["name"] == "tollwatch-secrets"
        assert ref["key"] in secret


def test_example_seeds_load_with_the_deployed_environment(
    resources: list[dict[str, Any]],
) -> None:
    env = {**of_kind(resources, "ConfigMap")["tollwatch-config"]["data"]}
    env |= of_kind(resources, "Secret")["tollwatch-secrets"]["stringData"]
    config = load_seed_config(DEPLOY / "seeds", env)
    assert config.feeds
    assert config.endpoints
    assert config.watches
    secrets = json.loads(env["TOLLWATCH_ENDPOINT_SECRETS"])
    assert {e.secret_ref for e in config.endpoints} <= set(secrets)
    assert not any(f.allow_private for f in config.feeds)


def test_example_watches_resolve_against_the_gazetteer() -> None:
    result = run([BIN / "tollwatch", "check-config", "--seeds", DEPLOY / "seeds"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_deployed_setting_is_a_known_valid_setting(
    services: dict[str, dict[str, Any]],
    resources: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    envs = [s["environment"] for s in services.values() if "build" in s]
    config = of_kind(resources, "ConfigMap")["tollwatch-config"]["data"]
    envs.append({**config, **of_kind(resources, "Secret")["tollwatch-secrets"]["stringData"]})
    for env in envs:
        # An unknown TOLLWATCH_ variable is ignored silently, so a typo would go unnoticed.
        for key in env:
            assert key.removeprefix("TOLLWATCH_").lower() in Settings.model_fields, key
        with monkeypatch.context() as patch:
            for key, value in env.items():
                patch.setenv(key, str(value))
            Settings()


def test_secret_template_holds_placeholders_only(resources: list[dict[str, Any]]) -> None:
    secret = of_kind(resources, "Secret")["tollwatch-secrets"]
    assert "data" not in secret
    assert all("CHANGE-ME" in value for value in secret["stringData"].values())


def test_kustomize_renders_valid_manifests() -> None:
    if shutil.which("kubectl") is None:
        pytest.skip("kubectl is not installed")
    result = run(["kubectl", "kustomize", DEPLOY])
    assert result.returncode == 0, result.stderr
    rendered = [d for d in yaml.safe_load_all(result.stdout) if d]
    for doc in rendered:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
    seeds = [d["metadata"]["name"] for d in rendered if d["kind"] == "ConfigMap"]
    job = next(d for d in rendered if d["kind"] == "Job")
    mounted = {
        v["configMap"]["name"]
        for v in job["spec"]["template"]["spec"]["volumes"]
        if "configMap" in v
    }
    assert mounted
    assert mounted <= set(seeds)
    assert all(re.fullmatch(r"tollwatch-[a-z-]+(-[a-z0-9]{10})?", name) for name in seeds)
