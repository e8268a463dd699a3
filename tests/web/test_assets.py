"""The npm asset step: pinned sha512, only listed files, no path tricks."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from equo.web import assets
from equo.web.assets import AssetError, Pacchetto, estrai, leggi_lock, verifica_integrita

FONT_LOADER = (
    b"const styleNode = 1; "
    b"styleNode.innerHTML = `@font-face { src: url('${__PUBLIC_PATH__}/a.woff2'); }`;"
)


def _tarball(file: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archivio:
        for nome, contenuto in file.items():
            info = tarfile.TarInfo(nome)
            info.size = len(contenuto)
            archivio.addfile(info, io.BytesIO(contenuto))
    return buffer.getvalue()


def _integrity(contenuto: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(contenuto).digest()).decode()


def _pacchetto(contenuto: bytes, **altro: object) -> Pacchetto:
    campi: dict[str, object] = {
        "nome": "prova",
        "versione": "1.0.0",
        "tarball": "https://registry.npmjs.org/prova/-/prova-1.0.0.tgz",
        "integrity": _integrity(contenuto),
        "cartella": "prova",
        "file": {"package/dist/a.js": "js/a.js"},
        "prefissi": {"package/dist/fonts/": "fonts/"},
    }
    campi.update(altro)
    return Pacchetto(**campi)  # type: ignore[arg-type]


def test_the_lock_pins_exact_versions_with_sha512() -> None:
    _, pacchetti = leggi_lock()
    _, per_i_test = leggi_lock(solo_test=True)
    assert {p.nome for p in pacchetti} == {"bootstrap-italia", "htmx.org"}
    assert {p.nome for p in per_i_test} == {"axe-core"}
    for pacchetto in pacchetti + per_i_test:
        assert pacchetto.integrity.startswith("sha512-")
        assert pacchetto.tarball.endswith(f"-{pacchetto.versione}.tgz")
        assert pacchetto.versione[0].isdigit()


def test_a_tarball_with_another_hash_is_refused(tmp_path: Path) -> None:
    contenuto = _tarball({"package/dist/a.js": b"ok"})
    with pytest.raises(AssetError, match="integrity mismatch"):
        estrai(_pacchetto(contenuto, integrity=_integrity(b"altro")), contenuto, tmp_path)
    assert not any(tmp_path.iterdir())


def test_only_listed_files_are_extracted(tmp_path: Path) -> None:
    contenuto = _tarball(
        {
            "package/dist/a.js": b"a",
            "package/dist/fonts/x/f.woff2": b"f",
            "package/src/segreto.js": b"no",
        }
    )
    estrai(_pacchetto(contenuto), contenuto, tmp_path)
    scritti = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert scritti == ["prova/fonts/x/f.woff2", "prova/js/a.js"]


def test_a_path_escaping_the_destination_is_refused(tmp_path: Path) -> None:
    contenuto = _tarball({"package/dist/a.js": b"a", "package/dist/fonts/../../../evil": b"x"})
    with pytest.raises(AssetError, match="unsafe path"):
        estrai(_pacchetto(contenuto), contenuto, tmp_path / "dest")


def test_a_listed_file_missing_from_the_tarball_is_an_error(tmp_path: Path) -> None:
    contenuto = _tarball({"package/dist/b.js": b"b"})
    with pytest.raises(AssetError, match="not in the tarball"):
        estrai(_pacchetto(contenuto), contenuto, tmp_path)


def test_the_font_rules_become_a_static_stylesheet(tmp_path: Path) -> None:
    contenuto = _tarball(
        {"package/dist/a.js": b"a", "package/dist/plugins/fonts-loader.js": FONT_LOADER}
    )
    pacchetto = _pacchetto(
        contenuto,
        css_font={
            "da": "package/dist/plugins/fonts-loader.js",
            "a": "css/fonts.css",
            "percorso_font": "../fonts",
        },
    )
    estrai(pacchetto, contenuto, tmp_path)
    css = (tmp_path / "prova/css/fonts.css").read_text(encoding="utf-8")
    assert css.strip() == "@font-face { src: url('../fonts/a.woff2'); }"


def test_build_downloads_verifies_and_stamps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contenuto = _tarball({"package/dist/a.js": b"a"})
    pacchetto = _pacchetto(contenuto, prefissi={})
    lock = tmp_path / "assets.lock.json"
    lock.write_text(
        json.dumps({"destinazione": "vendor", "pacchetti": [pacchetto.__dict__]}), encoding="utf-8"
    )
    scaricati: list[str] = []
    monkeypatch.setattr(assets, "_scarica", lambda url: scaricati.append(url) or contenuto)
    assert assets.costruisci(lock) is True
    assert assets.costruisci(lock) is False  # already there: no second download
    assert scaricati == [pacchetto.tarball]
    assert (tmp_path / "vendor/prova/js/a.js").read_bytes() == b"a"


def test_test_only_packages_are_never_extracted_into_the_static_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contenuto = _tarball({"package/dist/a.js": b"a"})
    piattaforma = _pacchetto(contenuto, prefissi={})
    solo_test = _pacchetto(contenuto, nome="checker", cartella="checker", prefissi={})
    voci = [piattaforma.__dict__, {**solo_test.__dict__, "solo_test": True}]
    lock = tmp_path / "assets.lock.json"
    lock.write_text(json.dumps({"destinazione": "vendor", "pacchetti": voci}), encoding="utf-8")
    monkeypatch.setattr(assets, "_scarica", lambda url: contenuto)
    assert assets.costruisci(lock) is True
    assert assets.costruisci_test(tmp_path / "test", lock) is True
    assert assets.costruisci_test(tmp_path / "test", lock) is False  # already there
    assert sorted(p.name for p in (tmp_path / "vendor").iterdir()) == [".versioni.json", "prova"]
    assert (tmp_path / "test/checker/js/a.js").read_bytes() == b"a"
    assert not (tmp_path / "test/prova").exists()


def test_verifica_integrita_accepts_the_npm_format() -> None:
    verifica_integrita(b"x", _integrity(b"x"))
    with pytest.raises(AssetError, match="sha512"):
        verifica_integrita(b"x", "sha1-abc")
