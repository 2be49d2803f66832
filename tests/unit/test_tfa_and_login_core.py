"""The pure parts of logins: reading Wiki.js's QR code and its login answers."""

from __future__ import annotations

import sys

import pytest

from wikijs import JWTAuth, LoginContinuation, TFASetup
from wikijs._generated.fragments import LoginResult
from wikijs._protocol.login import read_step, step_required
from wikijs._tfa import MissingQRReaderError, decode_qr, otpauth_secret, qr_modules
from wikijs.errors import (
    AuthenticationError,
    PasswordChangeRequiredError,
    ResponseError,
    TFARequiredError,
    TFASetupRequiredError,
    ValidationError,
)
from wikijs.testing._tfa import otpauth_uri, qr_svg

URI = "otpauth://totp/Wikijs:ada@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

# qr-image's style: polygons with holes (the finder pattern's ring), relative moves.
RING = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><path d="M1 1h7v7h-7zM2 2v5h5v-5zM3 3h3v3h-3z"/></svg>'  # noqa: E501


def test_a_path_is_filled_by_the_nonzero_rule() -> None:
    grid = qr_modules(RING)
    rows = ["".join("#" if dark else "." for dark in row) for row in grid]
    assert rows[0] == "........."
    assert rows[1] == ".#######."
    assert rows[2] == ".#.....#."
    assert rows[4] == ".#.###.#."


def test_the_fakes_qr_code_reads_back() -> None:
    svg = qr_svg(URI)
    assert decode_qr(svg) == URI
    assert otpauth_secret(URI) == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    assert TFASetup(svg).secret == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    assert "JBSW" not in repr(TFASetup(svg))


def test_the_uri_drops_what_wikijs_drops_from_the_title() -> None:
    assert otpauth_uri("My Wiki.js!", "a@b.c", "S") == "otpauth://totp/MyWikijs:a@b.c?secret=S"


@pytest.mark.parametrize(
    "svg",
    [
        "not an svg",
        '<svg viewBox="0 0 3 4"><path d="M0 0h1v1h-1z"/></svg>',
        '<svg viewBox="0 0 3 3"><path d="M0 0L1 1z"/></svg>',
        '<svg viewBox="0 0 3 3"><path d="M0h1z"/></svg>',
    ],
)
def test_what_is_not_a_qr_image_is_a_response_error(svg: str) -> None:
    with pytest.raises(ResponseError):
        qr_modules(svg)


def test_an_image_without_a_code_is_a_response_error() -> None:
    with pytest.raises(ResponseError, match="could not be read"):
        decode_qr(RING)
    with pytest.raises(ResponseError, match="otpauth"):
        otpauth_secret("https://example.com/?secret=X")


def test_without_zxing_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "zxingcpp", None)
    with pytest.raises(MissingQRReaderError, match=r"wikijs\[tfa\]"):
        decode_qr(qr_svg(URI))


def result(**fields: object) -> LoginResult:
    values: dict[str, object] = {
        "responseResult": {"succeeded": True, "errorCode": 0, "slug": "ok", "message": "ok"},
        "jwt": None,
        "mustChangePwd": None,
        "mustProvideTFA": None,
        "mustSetupTFA": None,
        "continuationToken": None,
        "redirect": "/",
        "tfaQRImage": None,
    }
    values.update(fields)
    return LoginResult.model_validate(values)


def test_each_answer_is_one_step() -> None:
    assert read_step(result(jwt="t"), "Login").token == "t"
    tfa = read_step(result(mustProvideTFA=True, continuationToken="c1"), "Login")
    assert tfa.continuation == LoginContinuation("tfa", "c1", "/")
    setup = read_step(
        result(mustSetupTFA=True, continuationToken="c2", tfaQRImage="<svg/>"), "Login"
    )
    assert (setup.continuation and setup.continuation.step, setup.setup) == (
        "tfa_setup",
        TFASetup("<svg/>"),
    )
    change = read_step(result(mustChangePwd=True, continuationToken="c3"), "Login")
    assert change.continuation is not None
    assert change.continuation.needs == "new_password"


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"continuationToken": "c"},
        {"mustSetupTFA": True, "continuationToken": "c"},
    ],
)
def test_an_answer_with_no_token_and_no_known_step_is_refused(fields: dict[str, object]) -> None:
    with pytest.raises(AuthenticationError):
        read_step(result(**fields), "Login")
    with pytest.raises(AuthenticationError):
        read_step(None, "Login")


def test_each_step_has_its_error() -> None:
    tfa = read_step(result(mustProvideTFA=True, continuationToken="secret-c"), "Login")
    setup = read_step(
        result(mustSetupTFA=True, continuationToken="secret-c", tfaQRImage="<svg/>"), "Login"
    )
    change = read_step(result(mustChangePwd=True, continuationToken="secret-c"), "Login")
    assert isinstance(step_required(tfa, "Login"), TFARequiredError)
    setup_error = step_required(setup, "Login")
    assert isinstance(setup_error, TFASetupRequiredError)
    assert setup_error.setup == TFASetup("<svg/>")
    assert isinstance(step_required(change, "Login"), PasswordChangeRequiredError)
    for step in (tfa, setup, change):
        error = step_required(step, "Login")
        assert "secret-c" not in str(error) + repr(error) + repr(error.continuation)


def test_callbacks_and_answers_are_checked() -> None:
    with pytest.raises(TypeError):
        JWTAuth("a@b.c", "pw", tfa_code="123456")  # type: ignore[arg-type]


async def test_the_sync_client_refuses_a_coroutine_callback() -> None:
    from wikijs import WikiJSClient

    async def code() -> str:
        return "123456"

    with pytest.raises(ValidationError, match="asynchronous"):
        WikiJSClient("https://wiki.example.com", auth=JWTAuth("a@b.c", "pw", tfa_code=code))


@pytest.mark.parametrize(
    ("code", "error"),
    [("12345", ValidationError), ("abcdef", ValidationError), (123456, TypeError)],
)
def test_a_tfa_code_is_six_digits(code: object, error: type[Exception]) -> None:
    from wikijs.auth import check_tfa_code

    with pytest.raises(error):
        check_tfa_code(code)
    assert check_tfa_code("123 456") == "123456"
