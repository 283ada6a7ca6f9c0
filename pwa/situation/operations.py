"""Changes to what the public page says: each flushes and writes its audit entry; the caller
commits."""

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import utc_now
from .models import TrainingLine


def training_lines():
    """Return the training line of each language that has one: {language: text}."""
    return {line.language: line.text for line in db.session.scalars(select(TrainingLine))}


def change_training(actor, texts):
    """Set the training line of each language in `texts` ({language: text}, "" for none).

    Return the languages whose line changed; the audit entry names them, not the text.
    """
    lines = {line.language: line for line in db.session.scalars(select(TrainingLine))}
    changed = []
    for language, text in sorted(texts.items()):
        line = lines.get(language)
        if line is None:
            if not text:
                continue
            line = TrainingLine(language=language)
            db.session.add(line)
        if line.text != text:
            line.text = text
            line.updated_at = utc_now()
            changed.append(language)
    db.session.flush()
    if changed:
        audit.record(actor, "training_changed", languages=changed)
    return changed
