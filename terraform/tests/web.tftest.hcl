# The web module (Amplify Hosting) with a mocked AWS provider. Run from terraform/: terraform test

mock_provider "aws" {
  override_during = plan

  mock_resource "aws_amplify_app" {
    defaults = {
      id             = "d1example"
      default_domain = "d1example.amplifyapp.com"
    }
  }
}

variables {
  name = "imagegen-dev-web"
}

run "security_headers_on_every_file" {
  command = plan

  module {
    source = "./modules/web"
  }

  variables {
    security_headers = {
      "Content-Security-Policy" = "default-src 'none'; frame-ancestors 'none'"
      "X-Content-Type-Options"  = "nosniff"
    }
  }

  assert {
    condition = yamldecode(aws_amplify_app.this.custom_headers) == {
      customHeaders = [{
        pattern = "**"
        headers = [
          { key = "Content-Security-Policy", value = "default-src 'none'; frame-ancestors 'none'" },
          { key = "X-Content-Type-Options", value = "nosniff" },
        ]
      }]
    }
    error_message = "Amplify's custom headers must send each security header on every path (pattern **), in the documented YAML format."
  }

  assert {
    condition     = output.origin == "https://main.d1example.amplifyapp.com"
    error_message = "The SPA origin is the main branch of the app."
  }
}
