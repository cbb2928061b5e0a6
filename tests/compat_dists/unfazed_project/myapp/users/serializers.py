from unfazed.serializer import Serializer

from myapp.orders.models import Order
from myapp.users.models import User


class UserSerializer(Serializer):
    class Meta:
        model = User


class OrderSerializer(Serializer):
    class Meta:
        model = Order
