"""The small float64 tanh MLPs the Hessian and sharpness tests build: cheap enough that their
Hessian is computed densely and compared with what the app's Lanczos and meters say."""
import torch

F64 = torch.float64


def tanh_mlp(sizes, n_points=64, seed=0, target=lambda x: torch.sin(x.sum(1, keepdim=True))):
    """A tanh MLP with layer sizes `sizes`, MSE against target(x) on n_points random inputs.
    Returns (model, loss_fn, params); model.data is (x, y)."""
    torch.manual_seed(seed)
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(a, b), torch.nn.Tanh()]
    model = torch.nn.Sequential(*layers[:-1]).to(F64)
    x = torch.randn(n_points, sizes[0], dtype=F64)
    y = target(x)

    def loss_fn():
        return torch.nn.functional.mse_loss(model(x), y)
    model.data = (x, y)
    return model, loss_fn, list(model.parameters())
