# Amplify Hosting without a connected repository: builds are uploaded as zips (manual deploys),
# so Terraform only creates the app and its branch.
resource "aws_amplify_app" "this" {
  name     = var.name
  platform = "WEB"

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
