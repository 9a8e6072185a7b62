import pytest


@pytest.fixture(autouse=True)
def _files_in_the_tests_storage(files_in_the_tests_storage):
    pass
