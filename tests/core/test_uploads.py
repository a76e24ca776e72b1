import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sangathan.core.errors import DomainError
from sangathan.core.uploads import IMAGE_KINDS, check_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 20
PDF = b"%PDF-1.7\n" + b"\x00" * 40


@pytest.mark.parametrize(("content", "kind"), [(PNG, "png"), (JPEG, "jpeg"), (WEBP, "webp"), (PDF, "pdf")])
def test_the_real_type_is_read_from_the_first_bytes(content, kind):
    upload = SimpleUploadedFile("anything.bin", content, content_type="text/plain")
    checked = check_upload(upload, max_bytes=1024)
    assert checked.kind == kind and checked.size == len(content)
    assert upload.read(4) == content[:4]  # left at the start, ready to store


def test_a_renamed_file_of_another_type_is_refused():
    upload = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    with pytest.raises(DomainError) as error:
        check_upload(upload, kinds=IMAGE_KINDS, max_bytes=1024, field="photo")
    assert error.value.code == "file_type" and error.value.field == "photo"


def test_a_pdf_is_refused_where_only_images_are_allowed():
    with pytest.raises(DomainError):
        check_upload(io.BytesIO(PDF), kinds=IMAGE_KINDS, max_bytes=1024)


def test_size_limits_and_empty_files():
    with pytest.raises(DomainError) as error:
        check_upload(SimpleUploadedFile("a.png", PNG * 100), max_bytes=1024 * 1024 // 512)
    assert error.value.code == "file_too_large"
    with pytest.raises(DomainError) as error:
        check_upload(SimpleUploadedFile("a.png", b""), max_bytes=1024)
    assert error.value.code == "empty_file"
    with pytest.raises(DomainError) as error:
        check_upload(None, max_bytes=1024)
    assert error.value.code == "required"
