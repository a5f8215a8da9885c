"""`whsp-ai eval --judge`: Gemini grades replies (respx at the real Vertex URL), or is skipped."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import google.auth
import httpx
import pytest
import respx
from google.oauth2.credentials import Credentials
from rich.console import Console

from tests.conftest import TEST_DATA_DIR
from whsp_ai.evals.command import EvalOptions, run_eval
from whsp_ai.evals.judge import Judge, print_judgement
from whsp_ai.evals.results import Trial, Turn
from whsp_ai.evals.scenario import load_file
from whsp_ai.nlu.provider import Usage
from whsp_ai.settings import Settings

PROJECT, LOCATION, MODEL = "whsp-test", "us-central1", "gemini-2.5-flash"
URL = (
    f"https://{LOCATION}-aiplatform.googleapis.com/v1beta1/projects/{PROJECT}/locations/"
    f"{LOCATION}/publishers/google/models/{MODEL}:generateContent"
)

SCENARIO = """\
scenarios:
  - id: judged
    business: ferreteria-don-pepe
    steps:
      - say: hola
      - say: cuánto cuesta el martillo?
        reply: "$189.00 MXN"
    expect:
      cart: {}
"""


def graded(grades: list[dict[str, Any]]) -> httpx.Response:
    """Gemini's answer: one forced call of grade_replies, as Vertex sends it."""
    return httpx.Response(
        200,
        json={
            "candidates": [
                {
                    "content": {
                        "role": "model",
                        "parts": [
                            {
                                "functionCall": {
                                    "name": "grade_replies",
                                    "args": {"grades": grades},
                                }
                            }
                        ],
                    },
                    "finishReason": "STOP",
                }
            ],
            "usageMetadata": {
                "promptTokenCount": 2150,
                "candidatesTokenCount": 96,
                "totalTokenCount": 2246,
            },
            "modelVersion": MODEL,
            "responseId": "judge-1",
        },
    )


def vertex(settings: Settings) -> Settings:
    return settings.model_copy(update={"google_cloud_project": PROJECT, "gemini_model": MODEL})


def trial() -> Trial:
    turns = [
        Turn(1, "customer", "ferreteria-don-pepe", "hola", ["¡Qué onda! Soy Pepe"]),
        Turn(
            2,
            "customer",
            "ferreteria-don-pepe",
            "cuánto cuesta el martillo?",
            ["Martillo de uña 16 oz — $189.00 MXN"],
        ),
        Turn(2, "to owner", "ferreteria-don-pepe", "", ["not for the judge"]),
    ]
    facts = {
        "business": "Ferretería Don Pepe",
        "language": "es",
        "currency": "MXN",
        "persona": {"agent_name": "Pepe", "tone": "amigable", "rules": ["No hacemos descuentos"]},
        "payment_methods": ["efectivo"],
        "delivery_fee": "60.00",
        "free_delivery_over": "800.00",
        "catalog": ["HER-MAR-16OZ | Martillo de uña 16 oz | 189.00 MXN | stock 25 | confirmed"],
        "cart": {},
        "orders": [],
    }
    return Trial("judged", True, [], turns, 0.1, Usage(), 2, facts)


async def test_the_judge_grades_every_reply_against_the_facts(
    settings: Settings, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post(URL).mock(
        return_value=graded(
            [
                {"reply": 1, "persona": 5, "helpfulness": 4, "factual": 5},
                {"reply": 2, "persona": 4, "helpfulness": 5, "factual": 1, "note": "wrong price"},
                {"reply": 9, "persona": 5, "helpfulness": 5, "factual": 5},  # no such reply
            ]
        )
    )
    judge = Judge(vertex(settings), credentials=Credentials(token="ya29.test"))
    try:
        grades = await judge.grade(trial())
    finally:
        await judge.aclose()
    assert [(g.reply, g.factual) for g in grades] == [(1, 5), (2, 1)]
    request = route.calls[0].request
    assert request.headers["authorization"] == "Bearer ya29.test"
    sent = json.loads(request.content)
    [declaration] = sent["tools"][0]["functionDeclarations"]
    assert declaration["name"] == "grade_replies"
    fields = json.dumps(declaration["parameters"])
    assert all(f in fields for f in ('"persona"', '"helpfulness"', '"factual"', '"reply"'))
    system = json.dumps(sent["systemInstruction"], ensure_ascii=False)
    assert "Martillo de uña 16 oz | 189.00 MXN" in system and "No hacemos descuentos" in system
    transcript = json.dumps(sent["contents"], ensure_ascii=False)
    assert "Agent reply 2: Martillo de uña 16 oz — $189.00 MXN" in transcript
    assert "not for the judge" not in transcript
    assert (judge.usage.calls, judge.usage.input_tokens, judge.usage.output_tokens) == (1, 2150, 96)


async def test_the_judge_in_a_run_reports_means_and_low_grades(
    db: object,
    settings: Settings,
    respx_mock: respx.MockRouter,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Application default credentials, as on a machine where `gcloud auth` was run.
    monkeypatch.setattr(
        google.auth, "default", lambda *a, **k: (Credentials(token="ya29.adc"), PROJECT)
    )
    route = respx_mock.post(URL).mock(
        return_value=graded(
            [
                {"reply": 1, "persona": 5, "helpfulness": 4, "factual": 5},
                {"reply": 2, "persona": 3, "helpfulness": 2, "factual": 5, "note": "terse"},
            ]
        )
    )
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    options = EvalOptions(judge=True, report=tmp_path / "r.json", data_dir=TEST_DATA_DIR)
    outcome = await run_eval(
        load_file(path), vertex(settings), options, Console(file=out, width=200), Console(file=err)
    )
    assert route.call_count == 1
    sent = json.dumps(json.loads(route.calls[0].request.content), ensure_ascii=False)
    assert "HER-MAR-16OZ | Martillo de uña 16 oz | 189.00 MXN | stock 25" in sent  # from the DB
    judged = outcome.judge
    assert judged is not None
    assert judged["mean"] == {"persona": 4.0, "helpfulness": 3.0, "factual": 5.0}
    assert [(low["scenario"], low["reply"]) for low in judged["low"]] == [("judged", 2)]
    assert "mean of 5: persona 4.00, helpfulness 3.00, factual 5.00" in out.getvalue()
    assert json.loads((tmp_path / "r.json").read_text())["judge"]["replies_graded"] == 2


async def test_a_failing_judge_is_reported_not_fatal(
    settings: Settings, respx_mock: respx.MockRouter
) -> None:
    from whsp_ai.evals.results import ScenarioResult

    respx_mock.post(URL).mock(return_value=httpx.Response(500, json={"error": {"code": 500}}))
    [scenario] = load_file(
        Path(__file__).parent.parent.parent / "src/whsp_ai/evals/scenarios/es_browse.yaml"
    )[:1]
    judge = Judge(vertex(settings), credentials=Credentials(token="ya29.test"))
    try:
        judged = await judge.grade_all(
            [ScenarioResult(scenario, [trial()])], Console(file=io.StringIO())
        )
    finally:
        await judge.aclose()
    assert judged["replies_graded"] == 0 and scenario.id in judged["errors"]
    out = io.StringIO()
    print_judgement(judged, Console(file=out, width=200))
    assert f"not graded: {scenario.id}" in out.getvalue()


async def test_without_vertex_the_judge_is_skipped_with_a_reason(
    db: object, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    options = EvalOptions(judge=True, report=tmp_path / "r.json", data_dir=TEST_DATA_DIR)
    no_vertex = settings.model_copy(update={"google_cloud_project": None})
    outcome = await run_eval(
        load_file(path), no_vertex, options, Console(file=out), Console(file=err, width=300)
    )
    assert outcome.summary["passed"] == 1  # the eval itself still runs and grades
    assert outcome.judge is not None and "GOOGLE_CLOUD_PROJECT" in outcome.judge["skipped"]
    assert "judge skipped: Vertex AI is not configured" in err.getvalue()
