import pytest
from sqlalchemy import select

from pwa import seed
from pwa.extensions import db
from pwa.models import Account, AuditEvent, Harbour
from tests.staff import KIM, PASSWORD, choose_own_password, log_in

NEW_PASSWORD = "a password for the command line"


def account(app, email):
    with app.app_context():
        found = db.session.scalar(select(Account).filter_by(email=email))
        return found and {
            "name": found.name,
            "admin": found.is_admin,
            "active": found.active,
            "language": found.language,
            "harbours": [harbour.name for harbour in found.harbours],
            "password_hash": found.password_hash,
        }


def test_the_first_administrator_is_added_on_an_empty_database_and_logs_in(app, runner, client):
    result = runner.invoke(
        args=["accounts", "add", "Alva@Example.org", "--name", "Alva Admin", "--admin"],
        input=NEW_PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Added alva@example.org" in result.output
    assert NEW_PASSWORD not in result.output
    alva = account(app, "alva@example.org")
    assert (alva["name"], alva["admin"], alva["language"], alva["harbours"]) == (
        "Alva Admin",
        True,
        "sv",
        [],
    )
    assert NEW_PASSWORD not in alva["password_hash"]
    assert log_in(client, "alva@example.org", NEW_PASSWORD).status_code == 303
    # Typed at the server's terminal, perhaps by someone else: Alva chooses her own first.
    assert client.get("/sv/admin/accounts").location == "/sv/account/password"
    choose_own_password(client, NEW_PASSWORD, "Alva's very own password")
    assert client.get("/sv/admin/accounts").status_code == 200
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).filter_by(action="account_added")).all()
        assert event.actor == "system"
        assert NEW_PASSWORD not in str(event.details)


def test_a_contact_person_is_added_with_harbours_and_a_language(app, runner, staff, client):
    result = runner.invoke(
        args=[
            "accounts",
            "add",
            "stina@example.org",
            "--name",
            "Stina Sjö",
            "--harbour",
            "Femöresund",
            "--harbour",
            "Oxelösunds gästhamn",
            "--language",
            "en",
        ],
        input=NEW_PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    stina = account(app, "stina@example.org")
    assert (stina["admin"], stina["language"]) == (False, "en")
    assert stina["harbours"] == ["Femöresund", "Oxelösunds gästhamn"]
    assert log_in(client, "stina@example.org", NEW_PASSWORD).status_code == 303
    choose_own_password(client, NEW_PASSWORD, "Stina's very own password")
    assert client.get("/sv/admin/accounts").status_code == 404


def test_adding_an_account_refuses_what_cannot_work(app, runner, staff):
    def add(*extra, password=NEW_PASSWORD):
        args = ["accounts", "add", "stina@example.org", "--name", "Stina", *extra]
        return runner.invoke(args=args, input=password + "\n")

    unknown = add("--harbour", "Nowhere")
    assert unknown.exit_code != 0
    assert "no harbour is called Nowhere" in unknown.output
    assert "Femöresund" in unknown.output
    short = add(password="short")
    assert short.exit_code != 0
    assert "at least 12 characters" in short.output
    taken = runner.invoke(
        args=["accounts", "add", KIM.upper(), "--name", "Kim"], input=NEW_PASSWORD + "\n"
    )
    assert taken.exit_code != 0
    assert "already exists" in taken.output
    not_an_address = runner.invoke(
        args=["accounts", "add", "stina", "--name", "Stina"], input=NEW_PASSWORD + "\n"
    )
    assert not_an_address.exit_code != 0
    assert "name@example.org" in not_an_address.output
    no_name = runner.invoke(
        args=["accounts", "add", "stina@example.org", "--name", " "], input=NEW_PASSWORD + "\n"
    )
    assert no_name.exit_code != 0
    assert "1 to 100 characters" in no_name.output
    wrong_language = add("--language", "de")
    assert wrong_language.exit_code != 0
    assert account(app, "stina@example.org") is None


def test_the_accounts_are_listed(app, runner, staff):
    result = runner.invoke(args=["accounts", "list"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "admin@example.org\tAlva Admin\tadmin\t-\tactive",
        "bo@example.org\tBo Båt\tcontact person\tFemöresund\tactive",
        "kim@example.org\tKim Kontakt\tcontact person\tOxelösunds gästhamn\tactive",
    ]


def test_a_new_password_replaces_the_old_and_ends_the_sessions(app, runner, staff):
    kim = app.test_client()
    log_in(kim, KIM)
    assert kim.get("/sv/account/password").status_code == 200
    result = runner.invoke(args=["accounts", "set-password", KIM], input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert kim.get("/sv/account/password").status_code == 303
    assert log_in(app.test_client(), KIM, PASSWORD).status_code == 401
    assert log_in(app.test_client(), KIM, NEW_PASSWORD).status_code == 303


def test_a_new_password_must_be_long_enough(app, runner, staff):
    result = runner.invoke(args=["accounts", "set-password", KIM], input="short\n")
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    assert log_in(app.test_client(), KIM).status_code == 303


def test_a_deactivated_account_is_logged_out_and_cannot_log_in(app, runner, staff):
    kim = app.test_client()
    log_in(kim, KIM)
    result = runner.invoke(args=["accounts", "deactivate", KIM])
    assert result.exit_code == 0
    assert "Deactivated kim@example.org" in result.output
    assert kim.get("/sv/account/password").status_code == 303
    assert log_in(app.test_client(), KIM).status_code == 401
    assert "deactivated" in runner.invoke(args=["accounts", "list"]).output
    again = runner.invoke(args=["accounts", "deactivate", KIM])
    assert again.exit_code == 0
    assert "already deactivated" in again.output


def test_an_unknown_address_is_said_plainly(runner, staff):
    for command in (["set-password"], ["deactivate"]):
        result = runner.invoke(args=["accounts", *command, "nobody@example.org"], input="x\n")
        assert result.exit_code != 0
        assert "no account has the address nobody@example.org" in result.output


def test_a_harbour_added_from_the_command_line_follows_the_web_form_rules(app, runner, staff):
    """The same name in another case is refused, and the addition is in the audit log."""
    refused = runner.invoke(args=["harbours", "add", "OXELÖSUNDS GÄSTHAMN"])
    assert refused.exit_code == 1
    assert "OXELÖSUNDS GÄSTHAMN is already listed" in refused.output

    added = runner.invoke(args=["harbours", "add", "Jogersö", "--sort-order", "3"])
    assert added.exit_code == 0, added.output
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).filter_by(action="harbour_added")).all()
        assert (event.actor, event.account_id) == ("system", None)
        assert (event.details["name"], event.details["sort_order"]) == ("Jogersö", 3)


def test_each_command_that_changes_data_writes_one_audit_entry(app, runner, staff):
    """Adding, a new password, deactivating, a harbour, the end of every session and a
    deletion are logged as the admin pages log them; a command that changes nothing, nothing."""
    runner.invoke(args=["accounts", "add", "ny@example.org", "--name", "Ny"], input=NEW_PASSWORD)
    runner.invoke(args=["accounts", "set-password", KIM], input=NEW_PASSWORD)
    runner.invoke(args=["accounts", "deactivate", KIM])
    runner.invoke(args=["accounts", "deactivate", KIM])
    runner.invoke(args=["harbours", "add", "Jogersö"])
    runner.invoke(args=["harbours", "seed"])
    runner.invoke(args=["sessions", "end-all"])
    runner.invoke(args=["reports", "purge"])
    runner.invoke(args=["accounts", "list"])
    runner.invoke(args=["harbours", "list"])
    with app.app_context():
        kim = db.session.scalar(select(Account).filter_by(email=KIM))
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(event.action, event.actor) for event in events] == [
            ("account_added", "system"),
            ("password_set", "system"),
            ("account_changed", "system"),
            ("harbour_added", "system"),
            ("sessions_ended", "system"),
        ]
        assert events[1].details == {"account_id": kim.id}
        assert events[2].details == {"account_id": kim.id, "active": False}


@pytest.mark.parametrize("name", ["Gäst\nhamn", "Gäst\thamn", "Gäst\x00hamn", "Gäst\u2028hamn"])
def test_a_name_with_an_invisible_character_is_refused_from_the_command_line(
    app, runner, staff, name
):
    refused = runner.invoke(args=["harbours", "add", name])
    assert refused.exit_code == 2
    assert "write the name with visible characters only" in refused.output
    account = runner.invoke(
        args=["accounts", "add", "stina@example.org", "--name", name], input=NEW_PASSWORD + "\n"
    )
    assert account.exit_code == 2
    assert "write the name with visible characters only" in account.output
    address = runner.invoke(
        args=["accounts", "add", f"stina{name[4]}@example.org", "--name", "Stina"],
        input=NEW_PASSWORD + "\n",
    )
    assert address.exit_code == 2
    with app.app_context():
        assert db.session.scalar(select(Harbour).filter(Harbour.name.like("Gäst%"))) is None
        assert db.session.scalar(select(Account).filter(Account.name != "Stina")) is not None
        assert db.session.scalar(select(Account).filter_by(name="Stina")) is None


def test_a_seed_file_name_with_an_invisible_character_is_refused(
    app, runner, tmp_path, monkeypatch
):
    path = tmp_path / "harbours.toml"
    path.write_text(
        '[[harbour]]\nname = "Gäst\\r\\nhamn"\nsort_order = 1\nsources = ["https://example.org"]\n'
    )
    real = seed.read_harbours
    monkeypatch.setattr(seed, "read_harbours", lambda: real(path))
    result = runner.invoke(args=["harbours", "seed"])
    assert result.exit_code == 1
    assert "write the name with visible characters only" in result.output
    with app.app_context():
        assert db.session.scalar(select(Harbour)) is None


@pytest.mark.parametrize("name", ["Gästhamn\u200b", "Gäst\u00adhamn", "\u202eGästhamn"])
def test_a_name_ending_in_a_zero_width_space_or_like_it_is_refused(app, runner, staff, name):
    for args in (["harbours", "add", name], ["accounts", "add", "s@example.org", "--name", name]):
        refused = runner.invoke(args=args, input=NEW_PASSWORD + "\n")
        assert refused.exit_code == 2
        assert "write the name with visible characters only" in refused.output
    with app.app_context():
        assert db.session.scalar(select(Harbour).filter(Harbour.name.like("Gäst%"))) is None
        assert db.session.scalar(select(Account).filter_by(email="s@example.org")) is None


def test_names_from_the_command_line_are_written_as_the_forms_write_them(app, runner, staff):
    decomposed = "Ga\u0308stbrygga\u00a0\u00a0norra "
    assert runner.invoke(args=["harbours", "add", decomposed]).exit_code == 0
    added = runner.invoke(
        args=["accounts", "add", "stina@example.org", "--name", " Stina\u2003Sjo\u0308 "],
        input=NEW_PASSWORD + "\n",
    )
    assert added.exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(Harbour).filter_by(name="Gästbrygga norra"))
        assert db.session.scalar(select(Account.name).filter_by(email="stina@example.org")) == (
            "Stina Sjö"
        )
