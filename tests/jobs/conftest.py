from .fixtures import cast, esdh_dir, hearing_for  # noqa: F401
