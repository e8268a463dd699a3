"""The tenant-scoping mechanism fails closed, and "not yours" answers like "does not exist"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.http import Http404
from django.test.utils import isolate_apps

from equo.web.accounts.models import Utente
from equo.web.audit.models import AuditEvent, TipoEvento
from equo.web.audit.registro import registra_evento
from equo.web.enti.models import Ente, Incarico, Ruolo
from equo.web.enti.scoping import (
    ScopeError,
    TenantScoped,
    access_for_user,
    enti_visibili,
)
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db


def _evento(ente: Ente) -> AuditEvent:
    return registra_evento(None, TipoEvento.LETTURA, ente=ente)


def test_an_incarico_covers_its_ente_only(anna: Utente, enti: Enti) -> None:
    assert set(enti_visibili(anna)) == {enti.comune_a}


def test_an_incarico_in_the_unione_covers_its_comuni(dora: Utente, enti: Enti) -> None:
    assert set(enti_visibili(dora)) == {enti.unione, enti.comune_a, enti.comune_a2}


def test_an_incarico_in_the_regione_covers_two_levels_below(enti: Enti) -> None:
    utente = Utente.objects.create(username="regionale")
    Incarico.objects.create(utente=utente, ente=enti.regione, ruolo=Ruolo.ANALISTA)
    assert set(enti_visibili(utente)) == {
        enti.regione,
        enti.unione,
        enti.comune_a,
        enti.comune_a2,
        enti.comune_b,
    }


def test_roles_narrow_the_scope(anna: Utente, enti: Enti) -> None:
    assert list(enti_visibili(anna, ruoli={Ruolo.AUDITOR})) == []


@pytest.mark.parametrize(
    "perde_accesso",
    [
        lambda u: Incarico.objects.filter(utente=u).update(attivo=False),
        lambda u: Utente.objects.filter(pk=u.pk).update(is_active=False),
        lambda u: Ente.objects.filter(incarichi__utente=u).update(attivo=False),
    ],
    ids=["incarico revocato", "utente disattivato", "ente disattivato"],
)
def test_a_revoked_incarico_or_user_or_ente_sees_nothing(anna: Utente, perde_accesso: Any) -> None:
    perde_accesso(anna)
    anna.refresh_from_db()
    assert list(enti_visibili(anna)) == []


def test_anonymous_users_see_nothing(enti: Enti) -> None:
    _evento(enti.comune_a)
    assert list(AuditEvent.objects.per_utente(AnonymousUser())) == []


@pytest.mark.parametrize(
    "valuta",
    [
        list,
        len,
        bool,
        lambda qs: qs.count(),
        lambda qs: qs.exists(),
        lambda qs: qs.first(),
        lambda qs: qs.get(pk=1),
        lambda qs: list(qs.values_list("pk")),
        lambda qs: list(qs.iterator()),
        lambda qs: qs.aggregate(n=models.Count("pk")),
        lambda qs: list(Ente.objects.filter(pk__in=qs.values("ente_id"))),
    ],
    ids=[
        "list",
        "len",
        "bool",
        "count",
        "exists",
        "first",
        "get",
        "values_list",
        "iterator",
        "aggregate",
        "subquery",
    ],
)
def test_an_unscoped_queryset_refuses_to_run(valuta: Any, enti: Enti) -> None:
    _evento(enti.comune_a)
    with pytest.raises(ScopeError):
        valuta(AuditEvent.objects.filter(tipo="creazione"))


def test_a_scoped_queryset_keeps_its_scope_through_chaining(
    anna: Utente, carla: Utente, enti: Enti
) -> None:
    _evento(enti.comune_a)
    _evento(enti.comune_b)
    mie = AuditEvent.objects.per_utente(carla).order_by("pk").filter(oggetto_tipo="")
    assert [e.ente_id for e in mie] == [enti.comune_b.pk]
    assert AuditEvent.objects.per_utente(anna).count() == 1


def test_senza_scope_is_the_named_escape_hatch(enti: Enti) -> None:
    _evento(enti.comune_a)
    _evento(enti.comune_b)
    assert AuditEvent.objects.senza_scope().count() == 2


def test_access_answers_the_same_404_for_missing_and_for_not_yours(
    anna: Utente, carla: Utente, enti: Enti
) -> None:
    di_anna = _evento(enti.comune_a)
    assert access_for_user(AuditEvent, anna, di_anna.pk) == di_anna
    with pytest.raises(Http404) as non_tuo:
        access_for_user(AuditEvent, carla, di_anna.pk)
    with pytest.raises(Http404) as inesistente:
        access_for_user(AuditEvent, carla, di_anna.pk + 1000)
    with pytest.raises(Http404) as malformato:
        access_for_user(AuditEvent, carla, "non-un-numero")
    assert str(non_tuo.value) == str(inesistente.value) == str(malformato.value)


def test_access_refuses_a_model_that_is_not_scoped(anna: Utente) -> None:
    with pytest.raises(TypeError):
        access_for_user(Ente, anna, 1)


@pytest.fixture
def pratica(transactional_db: None) -> Iterator[type[Any]]:
    """A throwaway TenantScoped model with its own table, as an app would declare one."""
    with isolate_apps("equo.web.enti"):

        class Pratica(TenantScoped):
            numero = models.CharField(max_length=20, unique=True)

            class Meta:
                app_label = "enti"

            def __str__(self) -> str:
                return self.numero

        with connection.schema_editor() as editor:
            editor.create_model(Pratica)
        try:
            yield Pratica
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Pratica)


def test_a_tenant_scoped_model_fails_closed_and_scopes_by_its_ente(
    pratica: Any, anna: Utente, carla: Utente, enti: Enti
) -> None:
    di_anna = pratica.objects.create(ente=enti.comune_a, numero="A-1")
    pratica.objects.create(ente=enti.comune_b, numero="B-1")
    with pytest.raises(ScopeError):
        list(pratica.objects.all())
    assert list(pratica.objects.per_utente(anna)) == [di_anna]
    with pytest.raises(Http404):
        access_for_user(pratica, carla, di_anna.pk)


def test_uniqueness_validation_sees_every_ente(pratica: Any, enti: Enti) -> None:
    pratica.objects.create(ente=enti.comune_a, numero="A-1")
    doppione = pratica(ente=enti.comune_b, numero="A-1")
    with pytest.raises(ValidationError) as errore:
        doppione.full_clean()
    assert "numero" in errore.value.message_dict
