from core.masking import mask_id_number, mask_name, mask_phone


def test_id_number_keeps_region_and_last_four():
    assert mask_id_number("510824197503081234") == "510824********1234"


def test_phone_keeps_prefix_and_last_four():
    assert mask_phone("13812345678") == "138****5678"


def test_short_and_empty_values():
    assert mask_id_number("") == ""
    assert mask_phone(None) == ""
    assert mask_phone("12345") == "*****"
    assert mask_name("张三丰") == "张**"
