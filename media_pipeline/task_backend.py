"""An RQ task backend that survives a Redis outage.

Wagtail enqueues its own tasks (reference index, search index) inside
``save()``; with plain RQBackend a Redis outage makes every save fail.  Here
a task that cannot be enqueued runs inline instead, as the immediate backend
would, except the processing job: its row in TranscodeJob stays queued and
the sweeper delivers it once Redis is back.
"""

import logging

from django_tasks_rq.backend import RQBackend
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Tasks whose durable state lives in our tables: never run inline in a request.
DEFER_ON_OUTAGE = {"media_pipeline.tasks.process_job"}


class ResilientRQBackend(RQBackend):
    def enqueue(self, task, args, kwargs):
        try:
            return super().enqueue(task, args, kwargs)
        except (RedisError, OSError) as exc:
            if task.module_path in DEFER_ON_OUTAGE:
                raise
            logger.warning("Redis unavailable (%s); running %s inline", exc, task.module_path)
            from django_tasks.backends.immediate import ImmediateBackend

            return ImmediateBackend(self.alias, {}).enqueue(task, args, kwargs)
