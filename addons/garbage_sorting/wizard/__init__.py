from . import garbage_mutual_round_wizard
