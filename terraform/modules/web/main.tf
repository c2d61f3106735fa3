# Amplify Hosting without a connected repository: builds are uploaded as zips (manual deploys),
# so Terraform only creates the app and its branch.
resource "aws_amplify_app" "this" {
  name     = var.name
  platform = "WEB"

  # Sent with every file of the site (Content-Security-Policy, HSTS, ...). Amplify applies a change
  # with the next deployment: run npm run deploy:web after apply.
  # https://docs.aws.amazon.com/amplify/latest/userguide/custom-header-YAML-format.html
  custom_headers = length(var.security_headers) == 0 ? null : yamlencode({
    customHeaders = [{
      pattern = "**"
      headers = [for name in sort(keys(var.security_headers)) : { key = name, value = var.security_headers[name] }]
    }]
  })

  # Single-page app: every path without a file extension serves index.html, so deep links work.
  # https://docs.aws.amazon.com/amplify/latest/userguide/redirects.html#redirects-for-single-page-web-apps-spa
  custom_rule {
    source = "</^[^.]+$|\\.(?!(css|gif|ico|jpg|jpeg|js|json|map|png|svg|txt|webp|woff|woff2|ttf)$)([^.]+$)/>"
    target = "/index.html"
    status = "200"
  }
}

resource "aws_amplify_branch" "this" {
  app_id            = aws_amplify_app.this.id
  branch_name       = var.branch_name
  stage             = "PRODUCTION"
  enable_auto_build = false
}
