"""Training and honest evaluation of the learned layer (needs the ``train`` extra).

This is the only part of ``coaching`` that uses numpy and scikit-learn; the running coach
never imports it (``tests/coaching/test_purity.py`` checks both).
"""
