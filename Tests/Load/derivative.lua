-- wrk script for `scripts/suite.sh soak`: POST /v1/derivative with one expression and point.
wrk.method = "POST"
wrk.body = '{"expression":"sin(x)*x^2","at":1.5}'
wrk.headers["Content-Type"] = "application/json"
