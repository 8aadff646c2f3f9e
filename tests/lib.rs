//! Black-box test suites live in http/.
