# Side by side with Brian2 (test_brian2_models.py): NEST's izhikevich, iaf_psc_exp, iaf_cond_exp
# and aeif_cond_exp in neurite (through the CLI) and in Brian2 (numpy target, no compilation),
# spike times and state traces compared with derived tolerances; ~20-40 s on one core. Needs
# Debian's python3-brian2, python3-numpy and python3-h5py; without them the script exits with 77
# and ctest reports the test as skipped.
add_test(NAME brian2_models
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/test_brian2_models.py $<TARGET_FILE:neurite_cli>)
set_tests_properties(brian2_models PROPERTIES LABELS validation TIMEOUT 600 SKIP_RETURN_CODE 77)
add_dependencies(validation_tests neurite_cli)  # `--target validation_tests` builds what it runs

# A Diehl & Cook module (the place-recognition settings, dt = 0.1 ms) in neurite and Brian2 by its
# statistics over 10 seeds (diehl_cook_brian2.py); ~30 s on one core.
add_test(NAME diehl_cook_brian2
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/diehl_cook_brian2.py $<TARGET_FILE:neurite_cli>)
set_tests_properties(diehl_cook_brian2 PROPERTIES LABELS validation TIMEOUT 600 SKIP_RETURN_CODE 77)
