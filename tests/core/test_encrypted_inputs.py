"""Encrypted personal fields (names, phone numbers, ID numbers) are typed on one line, in the admin
and in model forms, with a length limit and the keyboard a phone needs."""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from core.crypto import EncryptedJSONField, EncryptedTextField
from directory.models import Deputy


def encrypted_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, EncryptedTextField) and not isinstance(field, EncryptedJSONField):
                yield model, field


def test_every_encrypted_field_is_a_one_line_input():
    found = list(encrypted_fields())
    assert len(found) >= 6
    for model, field in found:
        widget = field.formfield().widget
        assert type(widget) is forms.TextInput, (model, field.name)
        assert int(widget.attrs["maxlength"]) <= 100


def test_the_admin_gets_one_line_inputs_too():
    model_admin = admin.site._registry[Deputy]
    for name in ("id_number", "phone"):
        formfield = model_admin.formfield_for_dbfield(Deputy._meta.get_field(name), request=None)
        assert isinstance(formfield.widget, forms.TextInput), name
        assert not isinstance(formfield.widget, forms.Textarea)
        assert "vTextField" in formfield.widget.attrs["class"]


def test_id_number_and_phone_inputs_in_the_deputy_form(client_for, world):
    url = reverse("admin:directory_deputy_change", args=[world.deputy_a1.pk])
    html = client_for("staff").get(url).content.decode()
    assert '<textarea name="id_number"' not in html and '<textarea name="phone"' not in html
    assert 'name="id_number"' in html and 'maxlength="18"' in html
    assert 'inputmode="tel"' in html


def test_a_form_that_chose_its_widget_keeps_it():
    field = Deputy._meta.get_field("phone")
    widget = field.formfield(widget=forms.PasswordInput(attrs={"autocomplete": "off"})).widget
    assert type(widget) is forms.PasswordInput and widget.attrs["autocomplete"] == "off"


def test_the_input_kind_is_not_part_of_the_migration_state():
    _name, _path, _args, kwargs = Deputy._meta.get_field("id_number").deconstruct()
    assert "input_kind" not in kwargs
