from django.db import migrations


def load(apps, schema_editor):
    from heritage.reference_data import load_ethnic_groups, load_provinces

    load_ethnic_groups(apps.get_model("heritage", "EthnicGroup"))
    load_provinces(apps.get_model("heritage", "Province"))


class Migration(migrations.Migration):
    dependencies = [("heritage", "0002_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
