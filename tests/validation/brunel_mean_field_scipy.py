#!/usr/bin/python3
"""Brunel (2000) mean-field values evaluated independently with SciPy, the source of the constants
that tests/validation/test_brunel.cpp checks its own solver (brunel_mean_field.hpp) against.

The self-consistent rate nu = 1 / (t_ref + tau sqrt(pi) int_{y_r}^{y_th} erfcx(-u) du), with
mu = C_E J tau (nu_ext + nu (1 - g gamma)), sigma^2 = J^2 C_E tau (nu_ext + nu (1 + g^2 gamma)),
nu_ext = eta theta / (J C_E tau), is found by brentq; the ISI CV of the first-passage time by the
nested integral CV^2 = 2 pi (nu tau)^2 int_{y_r}^{y_th} e^{x^2} int_{-inf}^{x} e^{y^2} (1 + erf y)^2 dy dx,
its integrand written as erfcx(-y)^2 e^{-y^2} so that nothing overflows.

Run: /usr/bin/python3 tests/validation/brunel_mean_field_scipy.py   (prints the values; exit 1 if they
differ from the constants in test_brunel.cpp by more than that test's tolerances; 77 without SciPy).
"""
import math
import sys

try:
    from scipy import integrate, optimize, special
except ImportError:
    print('SciPy is not installed (python3-scipy): skipped')
    sys.exit(77)

TAU, T_REF, THETA, V_RESET, GAMMA = 20e-3, 2e-3, 20.0, 10.0, 0.25  # s, s, mV, mV, C_I / C_E


def moments(j, c_e, g, eta, nu):
    nu_ext = eta * THETA / (j * c_e * TAU)
    mu = c_e * j * TAU * (nu_ext + nu * (1 - g * GAMMA))
    sigma = math.sqrt(j * j * c_e * TAU * (nu_ext + nu * (1 + g * g * GAMMA)))
    return mu, sigma


def siegert(mu, sigma):
    integral, _ = integrate.quad(lambda u: special.erfcx(-u), (V_RESET - mu) / sigma, (THETA - mu) / sigma,
                                 epsabs=1e-13, epsrel=1e-12)
    return 1 / (T_REF + TAU * math.sqrt(math.pi) * integral)


def mean_field(j, c_e, g, eta):
    nu = optimize.brentq(lambda nu: siegert(*moments(j, c_e, g, eta, nu)) - nu, 0.01, 1000, xtol=1e-12)
    mu, sigma = moments(j, c_e, g, eta, nu)
    inner = lambda x: integrate.quad(lambda y: special.erfcx(-y) ** 2 * math.exp(-y * y), -math.inf, x,
                                     epsabs=1e-13, epsrel=1e-12)[0]
    outer, _ = integrate.quad(lambda x: math.exp(x * x) * inner(x), (V_RESET - mu) / sigma, (THETA - mu) / sigma,
                              epsabs=1e-12, epsrel=1e-10)
    return nu, math.sqrt(2 * math.pi * (nu * TAU) ** 2 * outer)


# (J mV, C_E, g, eta) -> the constants of test_brunel.cpp and its tolerances: rate (Hz), CV or None.
CASES = [((0.1, 1000, 5, 2), (37.95, 0.05), None),
         ((0.25, 400, 6, 4), (59.53, 0.05), (1.009, 0.01))]


def main():
    ok = True
    for params, (rate, rate_tol), cv_expected in CASES:
        nu, cv = mean_field(*params)
        print('J=%g C_E=%d g=%g eta=%g: rate %.4f Hz, CV %.4f' % (params + (nu, cv)))
        ok &= abs(nu - rate) <= rate_tol
        if cv_expected:
            ok &= abs(cv - cv_expected[0]) <= cv_expected[1]
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
