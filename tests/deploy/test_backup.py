"""Backup and restore as the README's "Sao lưu và khôi phục" does them: pg_dump -Fc of
the database and a tar of MEDIA_ROOT, restored into a new database and folder; the
scores and the evidence file come back."""

import json
import shutil
import subprocess

import pytest

from tests.deploy.servers import make_deployment, on_postgres, postgres_database

pytestmark = [
    pytest.mark.deploy,
    pytest.mark.skipif(not on_postgres(), reason="pg_dump backs up PostgreSQL (DATABASE_URL)"),
    pytest.mark.skipif(
        not (shutil.which("pg_dump") and shutil.which("pg_restore")),
        reason="pg_dump is not installed (apt-get install postgresql-client)",
    ),
]

MAKE_DATA = """
import json
from django.core.files.uploadedfile import SimpleUploadedFile
from scoring.evidence import evidence_add_files
from scoring.models import AssessmentStatus, Role
from tests.factories import AssessmentFactory, build_framework, score_assessment, user_with_role
framework = build_framework([("1", None, "3"), ("1.1", "1", "1"), ("1.2", "1", "2")])
sheet = AssessmentFactory(framework=framework, status=AssessmentStatus.DRAFT)
score_assessment(sheet, {"1.1": "0,75", "1.2": "2"})
user = user_with_role(Role.UNIT, sheet.unit, username="xa.saoluu")
upload = SimpleUploadedFile("Biên bản.pdf", b"%PDF-1.4 bien ban", content_type="application/pdf")
evidence_add_files(
    assessment=sheet, criterion=framework.criteria.get(code="1.1"), user=user, uploads=[upload]
)
"""
READ_DATA = """
import json
from scoring.models import Evidence, Score
evidence = Evidence.objects.get()
print(json.dumps({
    "scores": sorted((s.criterion.code, str(s.self_score)) for s in Score.objects.all()),
    "evidence": [evidence.original_name, evidence.file.name, evidence.file.read().decode()],
}))
"""


def read_back(deployment) -> dict:
    return json.loads(deployment.manage("shell", "-c", READ_DATA).stdout.strip().splitlines()[-1])


def run(*command: str, stdin=None) -> None:
    result = subprocess.run(command, stdin=stdin, capture_output=True, text=True)
    assert result.returncode == 0, f"{command[0]}: {result.stderr}"


def test_a_dump_and_the_media_folder_restore_into_a_new_database(deployment, static_root, tmp_path):
    deployment.manage("shell", "-c", MAKE_DATA)
    before = read_back(deployment)
    database, media = deployment.settings["DATABASE_URL"], deployment.settings["MEDIA_ROOT"]
    dump, archive = tmp_path / "cchc.dump", tmp_path / "media.tar.gz"

    run("pg_dump", "--format=custom", f"--file={dump}", database)
    run("tar", "-czf", str(archive), "-C", media, ".")
    restored_dir = tmp_path / "restored"
    (restored_dir / "media").mkdir(parents=True)
    with postgres_database(database.rsplit("/", 1)[1] + "_restored") as restored:
        with dump.open("rb") as backup:  # as the README does: from standard input
            run("pg_restore", "--no-owner", f"--dbname={restored}", stdin=backup)
        run("tar", "-xzf", str(archive), "-C", str(restored_dir / "media"))
        after = read_back(make_deployment(restored_dir, restored, static_root))

    assert before == {
        "scores": [["1.1", "0.750"], ["1.2", "2.000"]],
        "evidence": ["Biên bản.pdf", before["evidence"][1], "%PDF-1.4 bien ban"],
    }
    assert before["evidence"][1].startswith("evidence/")
    assert after == before
