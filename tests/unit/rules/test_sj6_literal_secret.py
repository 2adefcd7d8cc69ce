"""SJ601: literal secrets, found by key name or by token shape, never echoed."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from syncctl.config import default_config
from syncctl.findings import Finding
from syncctl.loader import load_text
from syncctl.rules import sj601_literal_secret
from syncctl.rules.base import FileContext, JobFile

FILE = "jobs/hubspot/deals.yaml"
HEAD = "integration_name: hubspot\nlabel: Deals\ndefault_runtime_version: 3\n"


def run(body: str) -> list[Finding]:
    doc = load_text(HEAD + textwrap.dedent(body), FILE)
    job = JobFile(Path(FILE), FILE, doc, ("hubspot", "deals.yaml"))
    return list(sj601_literal_secret.check(FileContext(job, default_config(Path("/nowhere")))))


def query(key: str, value: str) -> str:
    return (
        f"resources:\n  - resource: crm/deals\n    method: list\n    query:\n      {key}: {value}\n"
    )


# Made-up values with the shape of real credentials.
TOKENS = {
    "a Stripe secret key": "sk_live_51H0000000000000000FAKE",
    "a GitHub token": "ghp_0000000000000000000000000000000FAKE0",
    "a Slack token": "xoxb-000000000000-000000000000-FAKEFAKEFAKE",
    "an AWS access key id": "AKIA00000000000FAKE0",
    "a Google API key": "AIza" + "0" * 31 + "FAKE",
    "a JSON Web Token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.ZmFrZXNpZ25hdHVyZQ",
    "a bearer token": "Bearer 0a1b2c3d4e5f6a7b8c9d0e1f2a3b",
    "a private key": "-----BEGIN RSA PRIVATE KEY-----",
}


@pytest.mark.parametrize(("what", "token"), TOKENS.items())
def test_token_shapes_anywhere_without_echoing_them(what: str, token: str) -> None:
    found = run(query("note", f'"header: {token} (x)"'))
    assert [(f.line, f.column, f.rule) for f in found] == [(8, 13, "SJ601")]
    assert found[0].message.startswith(f"value looks like {what}: ")
    assert token[4:12] not in found[0].message
    assert found[0].message.endswith(f"'{token[:4]}…'")


@pytest.mark.parametrize(
    "key",
    [
        "token",
        "secret",
        "password",
        "api_key",
        "apikey",
        "access_token",
        "client_secret",
        "x_api_key",
        "X-Api-Key",
        "clientSecret",
        "apiKey",
        "refresh_token",
        "PASSWORD",
    ],
)
def test_credential_keys_with_literal_values(key: str) -> None:
    found = run(query(key, "hunter2-is-my-password"))
    assert [f.message for f in found] == [f"literal secret in {key!r}: 'hunt…'"]


@pytest.mark.parametrize("value", ["12345", "1234.5", "abc"])
def test_short_or_numeric_literals_are_not_shown_at_all(value: str) -> None:
    found = run(query("password", value))
    assert found[0].message == "literal secret in 'password': '…'"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("api_key", '"{{args.api_key}}"'),
        ("api_key", '"{{args.api_key?:}}"'),
        ("token", '"Bearer {{args.token}}"'),
        ("token", '"{{args.token"'),  # broken placeholder: SJ201's to report
        ("token", '""'),
        ("token", "null"),
        ("password", "false"),
        ("token", "{type: string}"),
        ("token", "[a, b]"),
        ("token_type", "bearer"),
        ("max_tokens", "500"),
        ("keyboard", "qwerty"),
        ("note", '"Bearer authentication with the account token"'),
        ("sort", '"sk_live"'),
    ],
)
def test_not_secrets(key: str, value: str) -> None:
    assert run(query(key, value)) == []


def test_args_schema_properties_named_like_credentials_are_fine() -> None:
    assert (
        run("""\
        args_schema:
          type: object
          properties:
            api_key: {type: string, description: Passed per run., required: true}
        resources:
          - {resource: crm/deals, method: list, query: {hapikey: "{{args.api_key}}"}}
        """)
        == []
    )


def test_one_finding_per_value_and_list_items_are_scanned() -> None:
    found = run("""\
        description: keys AKIA00000000000FAKE0 and AKIA00000000000FAKE1
        resources:
          - resource: crm/deals
            method: list
            query:
              api_key: sk_live_51H0000000000000000FAKE
              ids: [1, ghp_0000000000000000000000000000000FAKE0]
        """)
    assert [(f.line, f.column, f.message) for f in found] == [
        (4, 14, "value looks like an AWS access key id: 'AKIA…'"),
        (9, 16, "literal secret in 'api_key': 'sk_l…'"),
        (10, 16, "value looks like a GitHub token: 'ghp_…'"),
    ]


def test_a_document_that_is_not_a_mapping_gives_nothing() -> None:
    doc = load_text("- sk_live_51H0000000000000000FAKE\n", FILE)
    job = JobFile(Path(FILE), FILE, doc, ("hubspot", "deals.yaml"))
    assert list(sj601_literal_secret.check(FileContext(job, default_config(Path("/x"))))) == []


def test_a_secret_spelt_with_yaml_escapes_is_still_found() -> None:
    # The text holds no needle ("\x73k_live_..." is "sk_live_..." once read): the prefilter
    # must look at the data, not only the text.
    (finding,) = run(query("cursor", '"\\x73k_live_51H0000000000000000FAKE"'))
    assert finding.rule == "SJ601"
    assert "Stripe" in finding.message


def test_a_needle_only_in_a_comment_gives_no_finding() -> None:
    assert run(query("page", "1  # paginate with the next_page token")) == []
