"""Text heuristics on indicator names (Pasal 12 ayat (3)): process indicators, count or score
indicators measured in percent, and whether an indicator shares its key terms with its parent."""

from __future__ import annotations

import re
from decimal import Decimal

from sakip_checker.checks import CheckContext, check

_NON_WORD = re.compile(r"[^0-9a-z]+")

# Words that say nothing about *what* is measured; left out of the relevance comparison.
STOPWORDS = frozenset(
    """
    persentase presentase jumlah indeks nilai tingkat rata rasio angka capaian skor skoring kinerja
    meningkatnya meningkatkan peningkatan kualitas terwujudnya tersedianya ketercapaian realisasi
    dan yang dari pada di ke untuk dalam dengan serta atau atas terhadap per oleh bagi secara
    program kegiatan sub sasaran tujuan perangkat daerah provinsi banten urusan pemerintahan penunjang
    seluruh biro dinas badan bidang bagian sekretariat setda opd tahun
    """.split()
)
SAME_MEASURE = Decimal("0.8")  # Jaccard similarity from which two names are taken as the same measure
PERCENT_UNITS = frozenset({"%", "persen", "prosen", "persentase"})
SCORE_WORDS = frozenset({"skor", "skoring", "nilai", "indeks"})
SHARE_WORDS = ("persentase", "presentase", "proporsi", "rasio")  # a share of a count is rightly in percent
# What an indicator of each level measures (Pasal 1 angka 12: keluaran atau hasil), for remediations.
MEASURE_OF_LEVEL = {"tujuan": "dampak/hasil tujuan", "sasaran": "hasil (outcome) sasaran",
                    "program": "hasil (outcome) program", "kegiatan": "keluaran (output) kegiatan",
                    "sub_kegiatan": "keluaran (output) sub-kegiatan"}
CODED_LEVELS = ("program", "kegiatan", "sub_kegiatan")
# Derived fields that rest on words, not on data: a rule reading one is a heuristic (tag ``heuristik``) and
# never severity error (tests/test_rule_catalogue.py enforces both).
HEURISTIC_FIELDS = {
    "indikator": {"indikator_proses", "jumlah_persen", "skor_persen", "relevan_induk", "mirip_induk", "kemiripan_induk"},
    "pk_indikator": {"sesuai_tupoksi"},
}


def normalise(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def content_words(text: str) -> set[str]:
    return {w for w in normalise(text).split() if len(w) > 2 and w not in STOPWORDS}


@check(
    "teks.indikator",
    provides={
        "indikator": {
            "kemiripan_induk": "number",
            "mirip_induk": "bool",
            "indikator_proses": "bool",
            "pola_proses": "text",
            "jumlah_persen": "bool",
            "skor_persen": "bool",
            "relevan_induk": "bool",
            "kata_bersama": "text",
            "ukuran_tingkat": "text",
            "kode_induk_sesuai": "bool",
            "kode_baku": "text",
            "kode_induk_baku": "text",
        }
    },
)
def indikator_text(ctx: CheckContext) -> None:
    """Name heuristics for every cascade indicator.

    * ``indikator_proses``: the name matches a process pattern (parameter ``pola_indikator_proses``),
      i.e. it measures that a kegiatan was carried out, not its output or outcome (Pasal 1 angka 12);
    * ``jumlah_persen`` / ``skor_persen``: a count ("Jumlah ...") or a score ("Nilai/Skor/Indeks ...")
      whose unit or target is a percentage;
    * ``relevan_induk``: the indicator (name + uraian) shares at least one content word with its
      parent indicator (name + uraian); absent when there is no parent;
    * ``kemiripan_induk``: Jaccard similarity of the content words of the indicator's name and its
      parent's name; ``mirip_induk`` when it is at least ``SAME_MEASURE`` (the two measure the same thing);
    * ``kode_induk_sesuai``: where the indicator and its parent are program/kegiatan/sub-kegiatan indicators
      that both carry a Permendagri 90/2019 code (read with or without dots), whether the indicator's code
      lies under its parent's (``kode_baku`` / ``kode_induk_baku`` give the readings). Where it does, the
      codes settle the relation and ``relevan_induk`` is not computed from words; where they conflict, the
      conflict is the finding (UKR-039), not the words;
    * ``ukuran_tingkat``: what an indicator of its level measures, for the remediation.

    ``jumlah_persen`` leaves out shares of a count ("Persentase/Proporsi/Rasio jumlah ..."). All of these
    are heuristics on names, except the code relation.
    """
    from sakip_checker.checks.renja import read_code

    patterns = ctx.params.pola_indikator_proses
    indicators = ctx.facts.of("indikator")
    by_key = {f.key: f for f in indicators}
    for fact in indicators:
        f = fact.fields
        norm = normalise(f["nama"])
        hit = next((p for p in patterns if p in norm), None)
        units = {(f.get("satuan") or "").strip().lower(), (f.get("target_satuan") or "").strip().lower()}
        percent = bool(units & PERCENT_UNITS)
        words = set(norm.split())
        derived = {
            "indikator_proses": hit is not None,
            "pola_proses": hit,
            "jumlah_persen": "jumlah" in words and percent and not norm.startswith(SHARE_WORDS),
            "skor_persen": bool(words & SCORE_WORDS) and "persentase" not in words and percent,
        }
        derived["ukuran_tingkat"] = MEASURE_OF_LEVEL.get(f["level"], "keluaran atau hasil")
        parent = by_key.get(f.get("induk"))
        mine_code = read_code(f.get("kode")) if f["level"] in CODED_LEVELS else None
        parent_code = (read_code(parent.fields.get("kode"))
                       if parent is not None and parent.fields["level"] in CODED_LEVELS else None)
        if mine_code and parent_code:
            derived.update(kode_baku=mine_code[0], kode_induk_baku=parent_code[0],
                           kode_induk_sesuai=mine_code[0].startswith(parent_code[0] + "."))
        if parent is not None:
            if not (mine_code and parent_code):
                mine = content_words(f"{f['nama']} {f['uraian']}")
                theirs = content_words(f"{parent.fields['nama']} {parent.fields['uraian']}")
                common = sorted(mine & theirs)
                derived["relevan_induk"] = bool(common)
                derived["kata_bersama"] = ", ".join(common) or None
            a, b = content_words(f["nama"]), content_words(parent.fields["nama"])
            if a and b:
                similarity = (Decimal(len(a & b)) / Decimal(len(a | b))).quantize(Decimal("0.01"))
                derived["kemiripan_induk"] = similarity
                derived["mirip_induk"] = similarity >= SAME_MEASURE
        ctx.derive(fact, **derived)


# Words of a tupoksi text that name the function rather than its subject.
TUPOKSI_STOPWORDS = frozenset(
    """
    tugas pokok fungsi melaksanakan menyelenggarakan menyiapkan penyiapan penyusunan menyusun perumusan
    merumuskan pelaksanaan koordinasi mengoordinasikan pembinaan membina pengendalian evaluasi pelaporan
    pemantauan fasilitasi bahan lingkup mempunyai membantu lain diberikan pimpinan atasan sesuai
    """.split()
)


@check("teks.tupoksi", provides={"pk_indikator": {"sesuai_tupoksi": "bool", "kata_tupoksi": "text"}})
def duties(ctx: CheckContext) -> None:
    """Pasal 15 (heuristic): a PK indicator of a position whose tupoksi is given shares at least one key
    term (words of the indicator name and of what it measures, less the generic words) with that
    tupoksi. Absent when the position's tupoksi is not given."""
    tupoksi = {f.key: content_words(f.fields["tupoksi"]) - TUPOKSI_STOPWORDS
               for f in ctx.facts.of("jabatan") if f.fields["tupoksi"]}
    uraian = {f.key: f.fields["uraian"] for f in ctx.facts.of("indikator")}
    for row in ctx.facts.of("pk_indikator"):
        words = tupoksi.get(row.fields["jabatan"])
        if words is None:
            continue
        own = content_words(f"{row.fields['nama']} {uraian.get(row.fields['indikator'], '')}")
        shared = sorted(own & words)
        ctx.derive(row, sesuai_tupoksi=bool(shared), kata_tupoksi=", ".join(shared) or None)
