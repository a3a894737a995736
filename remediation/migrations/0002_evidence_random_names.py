import uuid
from pathlib import PurePath

from django.db import migrations, models, transaction


def _move(update, name: str) -> None:
    """Store the file under `name` in its folder; the old copy goes once the rows are saved."""
    storage, old = update.evidence.storage, update.evidence.name
    if PurePath(old).name != name and storage.exists(old):
        with storage.open(old) as source:
            update.evidence.name = storage.save(str(PurePath(old).parent / name), source)
        transaction.on_commit(lambda: storage.delete(old))
    update.save(update_fields=["evidence", "evidence_name"])


def random_names(apps, schema_editor):
    """Files stored under the name they were sent with move to a random one; that name
    is kept for downloads."""
    ProgressUpdate = apps.get_model("remediation", "ProgressUpdate")
    for update in ProgressUpdate.objects.exclude(evidence=""):
        update.evidence_name = PurePath(update.evidence.name).name[:255]
        _move(update, uuid.uuid4().hex)


def original_names(apps, schema_editor):
    ProgressUpdate = apps.get_model("remediation", "ProgressUpdate")
    for update in ProgressUpdate.objects.exclude(evidence=""):
        _move(update, update.evidence_name or PurePath(update.evidence.name).name)


class Migration(migrations.Migration):
    dependencies = [
        ("remediation", "0001_plans"),
    ]

    operations = [
        migrations.AddField(
            model_name="progressupdate",
            name="evidence_name",
            field=models.CharField(blank=True, max_length=255, verbose_name="tên tệp kiểm chứng"),
        ),
        migrations.RunPython(random_names, original_names),
    ]
