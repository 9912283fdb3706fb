"""The API's fixtures (the world of roles, the GraphQL clients) and the media tests' ones (clips,
scratch folder), for the attacks on the media links, uploads and worker."""

from tests.api.conftest import _speedups_differential, _world_of_the_module, engine, gql, world
from tests.api.media.conftest import scratch_root, short_clip

__all__ = ["_speedups_differential", "_world_of_the_module", "engine", "gql", "scratch_root", "short_clip", "world"]
