"""Every Indonesian label of the reports, in one place (an English catalogue could sit beside it)."""

LABELS = {
    "id": {
        "title": "Hasil Pemeriksaan Kepatuhan SAKIP",
        "components": {
            "perencanaan": "Perencanaan",
            "pengukuran": "Pengukuran Kinerja",
            "pelaporan": "Pelaporan Kinerja",
            "evaluasi": "Evaluasi Kinerja",
        },
        "severity": {"error": "Berat", "warning": "Sedang", "info": "Informasi"},
        "outcome": {"fail": "Tidak memenuhi", "unknown": "Tidak dapat dinilai"},
        "document": {
            "profil": "Profil OPD", "jabatan": "Jabatan", "indikator": "Cascade indikator (Renstra)",
            "perjanjian_kinerja": "Perjanjian Kinerja", "rencana_aksi": "Rencana Aksi",
            "laporan_bulanan": "Laporan Capaian Kinerja bulanan", "renja": "Renja/RKA (Formulir B.1)",
            "lkjip": "LKjIP", "atestasi": "Atestasi/bukti",
        },
    }
}


def labels(lang: str = "id") -> dict:
    return LABELS[lang]
