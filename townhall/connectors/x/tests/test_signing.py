import base64
import hashlib
import hmac

from townhall.connectors.x.oauth import signature
from townhall.connectors.x.signatures import crc_response_token, signature_valid
from townhall.connectors.x.text import weighted_length


def test_it_signs_x_documented_oauth_example() -> None:
    # The worked example in X's "Creating a signature" guide.
    params = [("include_entities", "true"), ("oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"),
              ("oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"),
              ("oauth_signature_method", "HMAC-SHA1"), ("oauth_timestamp", "1318622958"),
              ("oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"),
              ("oauth_version", "1.0"),
              ("status", "Hello Ladies + Gentlemen, a signed OAuth request!")]
    assert signature(method="POST", url="https://api.twitter.com/1.1/statuses/update.json",
                     params=params, consumer_secret="kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
                     token_secret="LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE") == \
        "hCtSmYh+iHYCEqBWrE7C7hYmtUk="


def test_the_crc_answer_is_base64_hmac_sha256_of_the_token() -> None:
    digest = hmac.new(b"secret", b"crc-token-123", hashlib.sha256).digest()
    assert crc_response_token("secret", "crc-token-123") == \
        "sha256=" + base64.b64encode(digest).decode()


def test_it_rejects_signatures_that_are_not_base64() -> None:
    assert not signature_valid("secret", b"{}", "sha256=not base64!")
    assert not signature_valid("secret", b"{}", "SHA256=" + crc_response_token("secret", "{}")[7:])
    assert not signature_valid("", b"{}", crc_response_token("", "{}"))


def test_it_counts_like_x() -> None:
    assert weighted_length("a" * 280) == 280
    assert weighted_length("Croeso i Gyngor Afon: ŵ ŷ â") == 27
    assert weighted_length("See https://www.afon.gov.uk/bins/collection-days-2026?area=CF10") == 27
    assert weighted_length("ごみ収集") == 8
    assert weighted_length("Thanks 👍") == 9
